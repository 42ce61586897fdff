package dev.openshell.sandbox.session;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Where supervisor sessions connect: the gateway's base URL and the CA its certificate must chain
 * to (only that CA is trusted; the host names are checked as usual). Holds one HTTP client.
 */
final class GatewayTarget implements AutoCloseable {

    private final URI url;
    private final String caPem;
    private final HttpClient http;

    GatewayTarget(URI url, String caPem) {
        if (!"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("the gateway URL must be https: " + url);
        }
        this.url = url;
        this.caPem = caPem;
        this.http = HttpClient.newBuilder()
                .sslContext(trusting(caPem))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    URI url() {
        return url;
    }

    HttpClient http() {
        return http;
    }

    /** The WebSocket URI of {@code path} on the gateway. */
    URI webSocket(String path) {
        return URI.create("wss://" + url.getRawAuthority() + path);
    }

    boolean sameAs(URI otherUrl, String otherCa) {
        return url.equals(otherUrl) && caPem.equals(otherCa);
    }

    private static SSLContext trusting(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new IllegalArgumentException("the gateway CA PEM holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("the gateway CA cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
