package dev.openshell.sandbox.proxy.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust the proxy places in upstream servers when it re-originates TLS: the JDK's CAs, the
 * system bundle when present, and optionally an extra CA bundle (a private upstream CA, or a
 * test's own). The client context verifies host names; create handlers with
 * {@code context.newHandler(alloc, host, port)} so SNI and verification use the upstream host.
 */
public final class UpstreamTrust {

    private UpstreamTrust() {}

    /** System trust only. */
    public static SslContext clientContext() throws IOException {
        return clientContext(null);
    }

    /**
     * @param extraCaBundle a PEM file of additional trusted CAs, or null
     */
    public static SslContext clientContext(Path extraCaBundle) throws IOException {
        return SslContextBuilder.forClient()
                .trustManager(trustManagerFactory(extraCaBundle))
                .endpointIdentificationAlgorithm("HTTPS")
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_1_1))
                .build();
    }

    /** The trusted CAs as a PKIX trust manager factory. */
    public static TrustManagerFactory trustManagerFactory(Path extraCaBundle) throws IOException {
        Map<String, X509Certificate> cas = new LinkedHashMap<>();
        add(cas, JdkTrustStore.certificates());
        if (Files.isReadable(TrustBundleWriter.SYSTEM_BUNDLE)) {
            add(cas, read(TrustBundleWriter.SYSTEM_BUNDLE));
        }
        if (extraCaBundle != null) {
            List<X509Certificate> extra = read(extraCaBundle);
            if (extra.isEmpty()) {
                throw new IOException("no certificate in the extra CA bundle " + extraCaBundle);
            }
            add(cas, extra);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (Map.Entry<String, X509Certificate> e : cas.entrySet()) {
                store.setCertificateEntry(e.getKey(), e.getValue());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the upstream trust store", e);
        }
    }

    private static void add(Map<String, X509Certificate> cas, List<X509Certificate> certificates) {
        for (X509Certificate c : certificates) {
            // alias by subject + serial: the same CA from two sources is stored once
            cas.putIfAbsent(c.getSubjectX500Principal().getName() + "#" + c.getSerialNumber(), c);
        }
    }

    private static List<X509Certificate> read(Path bundle) throws IOException {
        try {
            return Pem.decodeAll(Files.readAllBytes(bundle));
        } catch (java.security.cert.CertificateException e) {
            throw new IOException("not a PEM certificate bundle: " + bundle, e);
        }
    }
}
