package dev.openshell.bootstrap.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayPkiTest {

    @TempDir
    Path dir;

    @Test
    void makesCaServerAndClientWithPrivateKeys() throws Exception {
        GatewayCredentials creds = GatewayPki.ensure(dir, GatewayPki.Options.defaults());

        assertThat(creds.server().isIssuedBy(creds.ca())).isTrue();
        assertThat(creds.client().isIssuedBy(creds.ca())).isTrue();
        assertThat(creds.server().certificate().getSubjectAlternativeNames())
                .extracting(san -> String.valueOf(san.get(1)))
                .contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        for (String key : List.of("ca.key", "server.key", "client.key", "client/tls.key")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
                    .as(key)
                    .isEqualTo("rw-------");
        }
        assertThat(Files.readString(dir.resolve("client/ca.crt")))
                .isEqualTo(creds.ca().withoutKey().certificatePem());
        assertThat(creds.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void reusesValidMaterialAndRenewsWhatExpiresSoon() {
        GatewayCredentials first = GatewayPki.ensure(dir, GatewayPki.Options.defaults());
        GatewayCredentials again = GatewayPki.ensure(dir, GatewayPki.Options.defaults());
        assertThat(again.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(again.server().certificate()).isEqualTo(first.server().certificate());
        assertThat(again.client().certificate()).isEqualTo(first.client().certificate());

        // 340 days on, the 1-year leaves expire within the 30-day margin; the 10-year CA does not.
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(340)), ZoneOffset.UTC);
        GatewayCredentials renewed = GatewayPki.ensure(
                dir,
                new GatewayPki.Options(
                        List.of(), Duration.ofDays(3650), Duration.ofDays(365), Duration.ofDays(30), later));
        assertThat(renewed.ca().certificate()).isEqualTo(first.ca().certificate());
        assertThat(renewed.server().certificate()).isNotEqualTo(first.server().certificate());
        assertThat(renewed.client().certificate()).isNotEqualTo(first.client().certificate());
    }

    @Test
    void aNewNameReissuesTheServerCertificateOnly() {
        GatewayCredentials first = GatewayPki.ensure(dir, GatewayPki.Options.defaults());
        GatewayCredentials named = GatewayPki.ensure(
                dir, GatewayPki.Options.defaults().withExtraNames(List.of("gw.example.com", "10.1.2.3")));
        assertThat(named.server().certificate()).isNotEqualTo(first.server().certificate());
        assertThat(named.client().certificate()).isEqualTo(first.client().certificate());
        assertThat(named.ca().certificate()).isEqualTo(first.ca().certificate());
    }

    @Test
    void damagedOrForeignMaterialIsReplaced() throws Exception {
        GatewayCredentials first = GatewayPki.ensure(dir, GatewayPki.Options.defaults());
        Files.writeString(dir.resolve("server.key"), "garbage");
        GatewayCredentials repaired = GatewayPki.ensure(dir, GatewayPki.Options.defaults());
        assertThat(repaired.server().certificate()).isNotEqualTo(first.server().certificate());

        // A client certificate from another CA dropped into the directory is not trusted, but replaced.
        CertificateBundle foreignCa =
                new CertificateBuilder().commonName("evil").ca().buildSelfSigned();
        PemFiles.write(
                new CertificateBuilder()
                        .commonName("openshell-cli")
                        .clientAuth()
                        .buildIssuedBy(foreignCa),
                dir.resolve("client.crt"),
                dir.resolve("client.key"));
        GatewayCredentials again = GatewayPki.ensure(dir, GatewayPki.Options.defaults());
        assertThat(again.client().isIssuedBy(again.ca())).isTrue();
    }

    @Test
    void aRealMutualTlsHandshakeWorksAndAForeignClientIsRefused() throws Exception {
        GatewayCredentials creds = GatewayPki.ensure(dir, GatewayPki.Options.defaults());
        var serverCtx = creds.server().sslContext(creds.ca());
        try (SSLServerSocket server = (SSLServerSocket) serverCtx
                .getServerSocketFactory()
                .createServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            CompletableFuture<String> accepted = CompletableFuture.supplyAsync(() -> serveOnce(server));
            try (SSLSocket s = (SSLSocket) creds.client()
                    .sslContext(creds.ca())
                    .getSocketFactory()
                    .createSocket("localhost", server.getLocalPort())) {
                var params = s.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(params);
                s.getOutputStream().write('x');
                s.getOutputStream().flush();
                assertThat(s.getInputStream().read()).isEqualTo('y');
            }
            assertThat(accepted.get(10, TimeUnit.SECONDS)).contains("openshell-cli");

            CertificateBundle foreignCa =
                    new CertificateBuilder().commonName("evil").ca().buildSelfSigned();
            CertificateBundle foreign = new CertificateBuilder()
                    .commonName("openshell-cli")
                    .clientAuth()
                    .buildIssuedBy(foreignCa);
            CompletableFuture<String> refused = CompletableFuture.supplyAsync(() -> serveOnce(server));
            assertThatThrownBy(() -> {
                        try (SSLSocket s = (SSLSocket) foreign.sslContext(creds.ca())
                                .getSocketFactory()
                                .createSocket("127.0.0.1", server.getLocalPort())) {
                            s.getOutputStream().write('x');
                            s.getOutputStream().flush();
                            if (s.getInputStream().read() < 0) {
                                throw new SSLException("closed");
                            }
                        }
                    })
                    .isInstanceOf(java.io.IOException.class);
            assertThat(refused.get(10, TimeUnit.SECONDS)).startsWith("failed");
        }
    }

    private static String serveOnce(SSLServerSocket server) {
        try (SSLSocket s = (SSLSocket) server.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            in.read();
            String peer = s.getSession().getPeerPrincipal().getName();
            out.write('y');
            out.flush();
            return peer;
        } catch (Exception e) {
            return "failed: " + e;
        }
    }
}
