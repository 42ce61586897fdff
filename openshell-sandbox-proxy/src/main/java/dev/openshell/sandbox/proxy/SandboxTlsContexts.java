package dev.openshell.sandbox.proxy;

import dev.openshell.sandbox.proxy.l7.TlsContexts;
import dev.openshell.sandbox.proxy.tls.LeafCertificateCache;
import dev.openshell.sandbox.proxy.tls.SandboxCa;
import dev.openshell.sandbox.proxy.tls.TrustBundle;
import dev.openshell.sandbox.proxy.tls.TrustBundleWriter;
import dev.openshell.sandbox.proxy.tls.UpstreamTrust;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The default TLS material: a CA generated for this proxy instance (its PEM and the combined
 * trust bundle written to {@link ProxyConfig#trustDir()}), leaves minted from it per host, and an
 * upstream client context trusting the system store plus {@link ProxyConfig#extraUpstreamCa()}.
 */
final class SandboxTlsContexts implements TlsContexts {

    private final LeafCertificateCache leaves;
    private final java.util.concurrent.CompletableFuture<SslContext> upstream;
    private final TrustBundle bundle;

    private SandboxTlsContexts(
            LeafCertificateCache leaves,
            java.util.concurrent.CompletableFuture<SslContext> upstream,
            TrustBundle bundle) {
        this.leaves = leaves;
        this.upstream = upstream;
        this.bundle = bundle;
    }

    static SandboxTlsContexts create(ProxyConfig config) {
        try {
            SandboxCa ca = SandboxCa.generate(config.sandboxId());
            TrustBundle bundle = new TrustBundleWriter().write(config.trustDir(), ca);
            // The system store takes a good part of a sandbox's start to parse and is needed only by
            // the first connection the proxy terminates TLS for: built beside the agent's start. An
            // extra CA is read now, so a bad file fails the start rather than the first request.
            java.util.concurrent.CompletableFuture<SslContext> upstream = config.extraUpstreamCa() == null
                    ? java.util.concurrent.CompletableFuture.supplyAsync(
                            SandboxTlsContexts::systemUpstream,
                            task -> Thread.ofVirtual()
                                    .name("openshell-upstream-trust")
                                    .start(task))
                    : java.util.concurrent.CompletableFuture.completedFuture(
                            UpstreamTrust.clientContext(config.extraUpstreamCa()));
            return new SandboxTlsContexts(new LeafCertificateCache(ca), upstream, bundle);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox CA in " + config.trustDir(), e);
        }
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

    TrustBundle bundle() {
        return bundle;
    }
}
