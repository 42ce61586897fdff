package dev.openshell.sandbox.proxy.shared;

import dev.openshell.policy.model.Decision;
import dev.openshell.sandbox.proxy.deny.Denial;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.log.DecisionSink;
import dev.openshell.sandbox.proxy.log.TargetRedaction;
import dev.openshell.sandbox.proxy.tls.TlsContexts;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the proxy's handlers share: the sandbox's settings, the active policy, the decision log,
 * the tunnel registry, TLS material, and an executor for blocking work (identity lookups in {@code
 * /proc}, DNS, leaf minting) that must never run on an event loop. Built once by the composition
 * root ({@code EgressProxy}); internal to the proxy.
 */
public final class ProxyServices {

    private final Settings settings;
    private final Transport transport;
    private final AtomicReference<ActivePolicy> policy;
    private final DecisionLogger logger;
    private final ConnectionRegistry registry;
    private final TlsContexts tls;
    private final ExecutorService blocking;

    /**
     * The settings of one sandbox's proxy that its stages read.
     *
     * @param sandboxId named in logs and in denial hints
     * @param callerResolver identifies the process behind each accepted connection
     * @param hostResolver DNS used for destinations
     * @param inference handler for {@code inference.local}, or {@code null} (then 503)
     * @param limits resource limits
     * @param sink receives one record per decision
     * @param sandboxName what {@code openshell policy ...} commands call the sandbox, for denial
     *     hints; {@code null}: the sandbox id
     */
    public record Settings(
            String sandboxId,
            CallerResolver callerResolver,
            HostResolver hostResolver,
            InferenceHandler inference,
            ProxyLimits limits,
            DecisionSink sink,
            String sandboxName) {}

    public ProxyServices(
            Settings settings,
            Transport transport,
            AtomicReference<ActivePolicy> policy,
            TlsContexts tls,
            ExecutorService blocking) {
        this(
                settings,
                transport,
                policy,
                new DecisionLogger(settings.sandboxId(), settings.sink()),
                new ConnectionRegistry(policy),
                tls,
                blocking);
    }

    private ProxyServices(
            Settings settings,
            Transport transport,
            AtomicReference<ActivePolicy> policy,
            DecisionLogger logger,
            ConnectionRegistry registry,
            TlsContexts tls,
            ExecutorService blocking) {
        this.settings = settings;
        this.transport = transport;
        this.policy = policy;
        this.logger = logger;
        this.registry = registry;
        this.tls = tls;
        this.blocking = blocking;
    }

    /** The same services (one registry, one policy) with decisions logged under {@code mode}. */
    public ProxyServices withMode(String mode) {
        return new ProxyServices(settings, transport, policy, logger.withMode(mode), registry, tls, blocking);
    }

    public String sandboxId() {
        return settings.sandboxId();
    }

    public CallerResolver callerResolver() {
        return settings.callerResolver();
    }

    public HostResolver hostResolver() {
        return settings.hostResolver();
    }

    /** The handler for {@code inference.local}, or {@code null} when none is configured. */
    public InferenceHandler inference() {
        return settings.inference();
    }

    public ProxyLimits limits() {
        return settings.limits();
    }

    public Transport transport() {
        return transport;
    }

    /** The generation in force right now; read it once per decision. */
    public ActivePolicy policy() {
        return policy.get();
    }

    public DecisionLogger logger() {
        return logger;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    public TlsContexts tls() {
        return tls;
    }

    public ExecutorService blocking() {
        return blocking;
    }

    /**
     * The 403 a client gets when {@code decision} refuses its request: the one place a denial is
     * built, on every path (explicit forward, {@code CONNECT}, L7 inside a tunnel, captured). It
     * names this sandbox and shows the request's path without its query.
     *
     * @param binary the caller's executable, or {@code null} when unknown
     * @param method the request method ({@code CONNECT} for a tunnel)
     * @param target the request target as sent, or {@code null} for a tunnel
     */
    public FullHttpResponse denied(
            ByteBufAllocator alloc,
            Decision decision,
            String host,
            int port,
            String binary,
            String method,
            String target,
            boolean keepAlive) {
        String called = settings.sandboxName() != null ? settings.sandboxName() : sandboxId();
        Denial denial = new Denial(called, decision, host, port, binary, method, TargetRedaction.pathOnly(target));
        return ProxyResponses.denied(alloc, denial, keepAlive);
    }
}
