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
    private final TrustBundle bundle;
    private volatile CompletableFuture<SslContext> upstream;

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
            // An extra CA is read now, so a bad file fails the start rather than the first request;
            // the system store only when a connection may need it (see upstreamTrust).
            CompletableFuture<SslContext> upstream = extraUpstreamCa == null
                    ? null
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
        // A terminated connection is about to go upstream over TLS: its trust is built meanwhile.
        upstreamTrust();
        return leaves.serverContext(host);
    }

    @Override
    public SslContext upstream() {
        return upstreamTrust().join();
    }

    /**
     * The upstream context, its building started at the first call. Parsing the system store costs
     * tens of milliseconds of CPU, which a sandbox that never terminates TLS (most one-shot runs)
     * should not pay at its start; the first terminated connection starts it while its leaf is
     * minted and the client's handshake runs, so it is normally ready when the upstream needs it.
     */
    private CompletableFuture<SslContext> upstreamTrust() {
        CompletableFuture<SslContext> current = upstream;
        if (current == null) {
            synchronized (this) {
                current = upstream;
                if (current == null) {
                    current = CompletableFuture.supplyAsync(
                            SandboxTlsContexts::systemUpstream,
                            task -> Thread.ofVirtual()
                                    .name("openshell-upstream-trust")
                                    .start(task));
                    upstream = current;
                }
            }
        }
        return current;
    }

    public TrustBundle bundle() {
        return bundle;
    }
}
