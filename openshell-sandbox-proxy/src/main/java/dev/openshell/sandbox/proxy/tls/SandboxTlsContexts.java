package dev.openshell.sandbox.proxy.tls;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default TLS material: the host's CA or one generated for this proxy instance (its PEM and the combined
 * trust bundle written to a trust directory), leaves minted from it per host, and an upstream
 * client context trusting the system store plus an optional extra CA bundle.
 */
public final class SandboxTlsContexts implements TlsContexts {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxTlsContexts.class);

    private final LeafCertificateCache leaves;
    private final CompletableFuture<SslContext> upstream;
    private final TrustBundle bundle;

    private SandboxTlsContexts(
            LeafCertificateCache leaves, CompletableFuture<SslContext> upstream, TrustBundle bundle) {
        this.leaves = leaves;
        this.upstream = upstream;
        this.bundle = bundle;
    }

    /**
     * A new CA for {@code sandboxId}, written with the trust bundle to {@code trustDir}; upstream
     * connections also trust {@code extraUpstreamCa} when it is not {@code null}.
     */
    public static SandboxTlsContexts create(String sandboxId, Path trustDir, Path extraUpstreamCa) {
        return create(sandboxId, trustDir, null, extraUpstreamCa);
    }

    /**
     * Like {@link #create(String, Path, Path)}, signing with the host's CA kept in {@code hostCaDir}
     * (see {@link HostCa}); {@code null}, or a directory that cannot be used, gives the proxy a CA
     * of its own.
     */
    public static SandboxTlsContexts create(String sandboxId, Path trustDir, Path hostCaDir, Path extraUpstreamCa) {
        try {
            SandboxCa ca = authority(sandboxId, hostCaDir);
            TrustBundle bundle = new TrustBundleWriter().write(trustDir, ca);
            // The system store takes a good part of a sandbox's start to parse and is needed only by
            // the first connection the proxy terminates TLS for: built beside the agent's start. An
            // extra CA is read now, so a bad file fails the start rather than the first request.
            CompletableFuture<SslContext> upstream = extraUpstreamCa == null
                    ? CompletableFuture.supplyAsync(
                            SandboxTlsContexts::systemUpstream,
                            task -> Thread.ofVirtual()
                                    .name("openshell-upstream-trust")
                                    .start(task))
                    : CompletableFuture.completedFuture(UpstreamTrust.clientContext(extraUpstreamCa));
            return new SandboxTlsContexts(new LeafCertificateCache(ca), upstream, bundle);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox CA in " + trustDir, e);
        }
    }

    private static SandboxCa authority(String sandboxId, Path hostCaDir) {
        if (hostCaDir != null) {
            try {
                return SandboxCa.of(sandboxId, HostCa.loadOrCreate(hostCaDir));
            } catch (IOException | RuntimeException e) {
                // A CA of its own is as safe, only slower to make.
                LOG.warn("host CA in {} unusable ({}); this sandbox gets a CA of its own", hostCaDir, e.toString());
            }
        }
        return SandboxCa.generate(sandboxId);
    }

    private static SslContext systemUpstream() {
        try {
            return UpstreamTrust.clientContext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the system trust store", e);
        }
    }

    @Override
    public SslContext serverFor(String host) {
        return leaves.serverContext(host);
    }

    @Override
    public SslContext upstream() {
        return upstream.join();
    }

    public TrustBundle bundle() {
        return bundle;
    }
}
