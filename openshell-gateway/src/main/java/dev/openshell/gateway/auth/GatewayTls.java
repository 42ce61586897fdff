package dev.openshell.gateway.auth;

import dev.openshell.bootstrap.pki.CertificateBundle;
import dev.openshell.bootstrap.pki.GatewayCredentials;
import dev.openshell.bootstrap.pki.GatewayPki;
import dev.openshell.gateway.config.GatewayProperties;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.stereotype.Component;

/**
 * The gateway's TLS: makes or reuses its PKI in the TLS directory at start ({@link GatewayPki}),
 * serves the server certificate, and trusts only its own CA for client certificates. Registered as
 * the SSL bundle {@code openshell-gateway}, which the HTTPS connector uses (client auth "want": a
 * caller without a certificate may still present a token).
 */
@Component
public class GatewayTls implements SslBundleRegistrar {

    public static final String BUNDLE = "openshell-gateway";

    private static final Logger log = LoggerFactory.getLogger(GatewayTls.class);

    private static final int VERIFIED_CAPACITY = 1024;
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final GatewayCredentials credentials;
    private final java.util.Set<X509Certificate> verified = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Clock clock;

    public GatewayTls(GatewayProperties properties, Clock clock) {
        this.clock = clock;
        this.credentials = GatewayPki.ensure(
                properties.tlsDir(),
                GatewayPki.Options.defaults()
                        .withExtraNames(properties.tls().extraNames())
                        .withRenewWithin(properties.tls().renewWithin()));
        log.info(
                "TLS material in {}; client bundle for the CLI in {}",
                properties.tlsDir(),
                credentials.clientBundleDir());
    }

    @Override
    public void registerBundles(SslBundleRegistry registry) {
        CertificateBundle server = credentials.server();
        SslStoreBundle stores = SslStoreBundle.of(
                server.toKeyStore("gateway"),
                new String(server.storePassword()),
                credentials.ca().toTrustStore());
        registry.registerBundle(BUNDLE, SslBundle.of(stores));
    }

    public GatewayCredentials credentials() {
        return credentials;
    }

    /**
     * Whether {@code cert} was issued by this gateway's CA and is valid now. The signature check
     * is remembered per certificate (a bounded set), since every request of a connection presents
     * the same one; validity dates are checked every time.
     */
    public boolean isClientCertificate(X509Certificate cert) {
        X509Certificate ca = credentials.ca().certificate();
        try {
            cert.checkValidity(Date.from(clock.instant()));
            if (verified.contains(cert)) {
                return true;
            }
            cert.verify(ca.getPublicKey());
            if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
                return false;
            }
            // The same CA signs the server's certificate: only one made for clients is a client.
            var purposes = cert.getExtendedKeyUsage();
            if (purposes == null || !purposes.contains(CLIENT_AUTH)) {
                return false;
            }
            if (verified.size() >= VERIFIED_CAPACITY) {
                verified.clear();
            }
            verified.add(cert);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
