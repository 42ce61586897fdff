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
    private final SslContext upstream;
    private final TrustBundle bundle;

    private SandboxTlsContexts(LeafCertificateCache leaves, SslContext upstream, TrustBundle bundle) {
        this.leaves = leaves;
        this.upstream = upstream;
        this.bundle = bundle;
    }

    static SandboxTlsContexts create(ProxyConfig config) {
        try {
            SandboxCa ca = SandboxCa.generate(config.sandboxId());
            TrustBundle bundle = new TrustBundleWriter().write(config.trustDir(), ca);
            SslContext upstream = config.extraUpstreamCa() == null
                    ? UpstreamTrust.clientContext()
                    : UpstreamTrust.clientContext(config.extraUpstreamCa());
            return new SandboxTlsContexts(new LeafCertificateCache(ca), upstream, bundle);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the sandbox CA in " + config.trustDir(), e);
        }
    }

    @Override
    public SslContext serverFor(String host) {
        return leaves.serverContext(host);
    }

    @Override
    public SslContext upstream() {
        return upstream;
    }

    TrustBundle bundle() {
        return bundle;
    }
}
