package dev.openshell.sandbox.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeafCertificateCacheTest {

    private static final SandboxCa CA = SandboxCa.generate("cache-test");

    @Test
    void aHostIsMintedOnceEvenUnderConcurrentFirstRequests() throws Exception {
        LeafCertificateCache cache = new LeafCertificateCache(CA);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<SslContext>> futures = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                futures.add(pool.submit(() -> cache.serverContext("api.example.com")));
            }
            Set<SslContext> distinct = new HashSet<>();
            for (Future<SslContext> f : futures) {
                distinct.add(f.get());
            }
            assertThat(distinct).hasSize(1);
            // the same host in another spelling is the same entry
            assertThat(cache.serverContext("API.example.com."))
                    .isSameAs(distinct.iterator().next());
            assertThat(cache.size()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCacheIsBoundedAndEvictsTheLeastRecentlyUsed() {
        LeafCertificateCache cache = new LeafCertificateCache(CA, 2);
        SslContext a = cache.serverContext("a.example");
        cache.serverContext("b.example");
        cache.serverContext("a.example");
        cache.serverContext("c.example"); // evicts b, the least recently used

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.serverContext("a.example")).isSameAs(a);
    }

    @Test
    void anInvalidHostIsRefused() {
        assertThatThrownBy(() -> new LeafCertificateCache(CA).serverContext("bad host"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJdkClientTrustingOnlyCaPemCompletesAHandshakeAndGetsHttp11(@TempDir Path dir) throws Exception {
        TrustBundle files = new TrustBundleWriter().write(dir, CA);
        try (TlsTestServer server = new TlsTestServer(new LeafCertificateCache(CA).serverContext("localhost"))) {
            assertThat(greeting(clientTrusting(files.caPem()), "localhost", server.port()))
                    .isEqualTo("hello http/1.1");
        }
    }

    @Test
    void aClientTrustingAnotherCaRejectsTheCertificate(@TempDir Path dir) throws Exception {
        TrustBundle otherFiles = new TrustBundleWriter().write(dir, SandboxCa.generate("someone-else"));
        try (TlsTestServer server = new TlsTestServer(new LeafCertificateCache(CA).serverContext("localhost"))) {
            assertThatThrownBy(() -> greeting(clientTrusting(otherFiles.caPem()), "localhost", server.port()))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aLeafForAnotherHostFailsHostnameVerification(@TempDir Path dir) throws Exception {
        TrustBundle files = new TrustBundleWriter().write(dir, CA);
        try (TlsTestServer server = new TlsTestServer(new LeafCertificateCache(CA).serverContext("example.com"))) {
            assertThatThrownBy(() -> greeting(clientTrusting(files.caPem()), "localhost", server.port()))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("localhost");
        }
    }

    static SSLContext clientTrusting(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.decodeAll(java.nio.file.Files.readAllBytes(caPem))) {
            store.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    /** Connects, verifies the server as {@code host}, offers h2 and http/1.1, returns the greeting. */
    static String greeting(SSLContext ssl, String host, int port) throws Exception {
        java.net.Socket plain = new java.net.Socket(InetAddress.getLoopbackAddress(), port);
        // layered with an explicit host: the JDK verifies the certificate against that name
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(plain, host, port, true)) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            params.setServerNames(List.of(new SNIHostName(host)));
            params.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            socket.setSSLParameters(params);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
