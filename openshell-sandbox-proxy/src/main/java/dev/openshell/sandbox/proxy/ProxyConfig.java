package dev.openshell.sandbox.proxy;

import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.net.Cidr;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.log.DecisionSink;
import dev.openshell.sandbox.proxy.shared.HostResolver;
import dev.openshell.sandbox.proxy.shared.InferenceHandler;
import dev.openshell.sandbox.proxy.shared.ProxyLimits;
import dev.openshell.sandbox.proxy.tls.TlsContexts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything an {@link EgressProxy} needs. Build with {@link #builder}.
 *
 * @param bind address and port to listen on (port 0 picks a free one)
 * @param sandboxId the sandbox this proxy serves; named in logs and in denial hints
 * @param callerResolver identifies the process behind each accepted connection; the proxy closes it
 *     when it stops
 * @param policy the initial compiled policy
 * @param generation the initial policy generation
 * @param sink receives one record per decision
 * @param trustDir where the sandbox CA and the combined trust bundle are written, or {@code null}
 *     when {@code tls} is given
 * @param hostCaDir where the host's CA is kept ({@link dev.openshell.sandbox.proxy.tls.HostCa}), or
 *     {@code null} for a CA of this proxy's own, generated at start
 * @param extraUpstreamCa an extra PEM bundle trusted for upstream TLS besides the system store, or
 *     {@code null}
 * @param hostResolver DNS used for destinations
 * @param limits resource limits
 * @param inference handler for {@code inference.local}, or {@code null} (then 503)
 * @param tls the TLS contexts for L7 termination and upstream connections; {@code null} builds
 *     them from {@code trustDir} and {@code extraUpstreamCa}
 * @param transparentBind where connections captured by the sandbox firewall arrive (see {@link
 *     dev.openshell.sandbox.proxy.transparent.TransparentListener}), or {@code null} for none;
 *     needs the epoll transport
 * @param ioThreads event-loop threads; one (the default) serves a sandbox's traffic on one core with
 *     the least CPU per connection (no hand-offs between loops), more spread TLS-heavy work
 * @param extraHostAddresses networks the destination guard refuses as this host's own, besides
 *     every address the kernel routes locally (see {@link HostAddressCheck}): where a gateway
 *     listens, the sandbox subnets
 * @param sandboxName what {@code openshell policy ...} commands call this sandbox (its name on a
 *     gateway), for the hints in denials; {@code null}: the sandbox id
 */
public record ProxyConfig(
        InetSocketAddress bind,
        String sandboxId,
        CallerResolver callerResolver,
        CompiledPolicy policy,
        long generation,
        DecisionSink sink,
        Path trustDir,
        Path hostCaDir,
        Path extraUpstreamCa,
        HostResolver hostResolver,
        ProxyLimits limits,
        InferenceHandler inference,
        TlsContexts tls,
        InetSocketAddress transparentBind,
        int ioThreads,
        List<Cidr> extraHostAddresses,
        String sandboxName) {

    public ProxyConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(sandboxId, "sandboxId");
        Objects.requireNonNull(callerResolver, "callerResolver");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(hostResolver, "hostResolver");
        Objects.requireNonNull(limits, "limits");
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
        if (tls == null && trustDir == null) {
            throw new IllegalArgumentException("either trustDir or tls is required");
        }
        extraHostAddresses = List.copyOf(extraHostAddresses);
    }

    public static Builder builder(
            String sandboxId, CallerResolver callerResolver, CompiledPolicy policy, long generation) {
        return new Builder(sandboxId, callerResolver, policy, generation);
    }

    /** Collects the optional settings; defaults: loopback, free port, system DNS, default limits. */
    public static final class Builder {
        private final String sandboxId;
        private final CallerResolver callerResolver;
        private final CompiledPolicy policy;
        private final long generation;
        private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private DecisionSink sink = record -> {};
        private Path trustDir;
        private Path hostCaDir;
        private Path extraUpstreamCa;
        private HostResolver hostResolver = HostResolver.SYSTEM;
        private ProxyLimits limits = ProxyLimits.DEFAULT;
        private InferenceHandler inference;
        private TlsContexts tls;
        private InetSocketAddress transparentBind;
        private int ioThreads = 1;
        private List<Cidr> extraHostAddresses = List.of();
        private String sandboxName;

        private Builder(String sandboxId, CallerResolver callerResolver, CompiledPolicy policy, long generation) {
            this.sandboxId = sandboxId;
            this.callerResolver = callerResolver;
            this.policy = policy;
            this.generation = generation;
        }

        public Builder bind(InetSocketAddress value) {
            this.bind = value;
            return this;
        }

        public Builder sink(DecisionSink value) {
            this.sink = value;
            return this;
        }

        public Builder trustDir(Path value) {
            this.trustDir = value;
            return this;
        }

        /** Sign leaves with the host's CA kept in this directory instead of a CA of this proxy's own. */
        public Builder hostCaDir(Path value) {
            this.hostCaDir = value;
            return this;
        }

        public Builder extraUpstreamCa(Path value) {
            this.extraUpstreamCa = value;
            return this;
        }

        public Builder hostResolver(HostResolver value) {
            this.hostResolver = value;
            return this;
        }

        public Builder limits(ProxyLimits value) {
            this.limits = value;
            return this;
        }

        public Builder inference(InferenceHandler value) {
            this.inference = value;
            return this;
        }

        public Builder tls(TlsContexts value) {
            this.tls = value;
            return this;
        }

        /** Also listen here for connections the sandbox firewall redirected (transparent capture). */
        public Builder transparentBind(InetSocketAddress value) {
            this.transparentBind = value;
            return this;
        }

        /** Event-loop threads (default 1). */
        public Builder ioThreads(int value) {
            this.ioThreads = value;
            return this;
        }

        /** Networks refused as this host's own besides its interfaces' addresses (default none). */
        public Builder extraHostAddresses(List<Cidr> value) {
            this.extraHostAddresses = value;
            return this;
        }

        /** What the sandbox is called on its gateway, named in denial hints (default: the sandbox id). */
        public Builder sandboxName(String value) {
            this.sandboxName = value;
            return this;
        }

        public ProxyConfig build() {
            return new ProxyConfig(
                    bind,
                    sandboxId,
                    callerResolver,
                    policy,
                    generation,
                    sink,
                    trustDir,
                    hostCaDir,
                    extraUpstreamCa,
                    hostResolver,
                    limits,
                    inference,
                    tls,
                    transparentBind,
                    ioThreads,
                    extraHostAddresses,
                    sandboxName);
        }
    }
}
