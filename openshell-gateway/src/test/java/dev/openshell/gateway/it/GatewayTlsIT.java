package dev.openshell.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.bootstrap.pki.CertificateBuilder;
import dev.openshell.bootstrap.pki.CertificateBundle;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real HTTPS connector: mTLS with good, missing and foreign certificates, plaintext, and bearer tokens. */
class GatewayTlsIT {

    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = SharedGateway.get();
    }

    @Test
    void theOperatorsCertificateIsAcceptedOnEveryServerName() {
        try (GatewayClient client = gw.operator()) {
            assertThat(client.sandboxes().list(null).toList()).isNotNull();
        }
        try (GatewayClient byAddress = GatewayClient.builder(URI.create("https://127.0.0.1:" + gw.port()))
                .sslContext(gw.clientCertificate().sslContext(gw.ca()))
                .build()) {
            assertThat(byAddress
                            .get("/healthz", Map.of(), tools.jackson.databind.JsonNode.class)
                            .toString())
                    .contains("\"ok\"");
        }
    }

    @Test
    void withoutACertificateOrTokenTheAnswerIs401() {
        try (GatewayClient client =
                GatewayClient.builder(gw.url()).sslContext(gw.trustOnly()).build()) {
            assertThat(client.get("/healthz", Map.of(), tools.jackson.databind.JsonNode.class)
                            .toString())
                    .contains("\"ok\"");
            assertThatThrownBy(() -> client.sandboxes().list(null).toList())
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        }
    }

    @Test
    void aCertificateFromAForeignCaIsRefused() {
        CertificateBundle foreignCa =
                new CertificateBuilder().commonName("OpenShell gateway CA").ca().buildSelfSigned();
        CertificateBundle foreign = new CertificateBuilder()
                .commonName("openshell-cli")
                .clientAuth()
                .buildIssuedBy(foreignCa);
        try (GatewayClient client = GatewayClient.builder(gw.url())
                .sslContext(foreign.sslContext(gw.ca()))
                .build()) {
            assertThatThrownBy(() -> client.sandboxes().list(null).toList())
                    .isInstanceOfSatisfying(
                            ApiException.class,
                            e -> assertThat(e.code())
                                    .isIn(ErrorCode.TLS_FAILED, ErrorCode.UNAUTHORIZED, ErrorCode.GATEWAY_UNREACHABLE));
        }
    }

    @Test
    void aClientThatDoesNotTrustTheGatewayFailsTls() {
        CertificateBundle otherCa =
                new CertificateBuilder().commonName("other").ca().buildSelfSigned();
        try (GatewayClient client = GatewayClient.builder(gw.url())
                .sslContext(gw.clientCertificate().sslContext(otherCa))
                .build()) {
            assertThatThrownBy(() -> client.sandboxes().list(null).toList())
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TLS_FAILED));
        }
    }

    @Test
    void plaintextHttpGetsNoHttpAnswer() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gw.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /api/v1/sandboxes HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] answer = in.readNBytes(64);
            String text = new String(answer, StandardCharsets.ISO_8859_1);
            assertThat(text).doesNotContain("200").doesNotContain("items");
        } catch (java.net.SocketException e) {
            // reset: refused, as it should be
        }
    }

    @Test
    void requestsTheContainerRefusesAreProblemsWithoutServerDetails() throws Exception {
        try (var http = java.net.http.HttpClient.newBuilder()
                .sslContext(gw.clientCertificate().sslContext(gw.ca()))
                .build()) {
            for (var request : List.of(
                    java.net.http.HttpRequest.newBuilder(gw.url().resolve("/api/v1/sandboxes/a%2Fb"))
                            .build(),
                    java.net.http.HttpRequest.newBuilder(gw.url().resolve("/api/v1/sandboxes/a%00b"))
                            .build(),
                    java.net.http.HttpRequest.newBuilder(gw.url().resolve("/api/v1/sandboxes"))
                            .header("X-Big", "a".repeat(20_000))
                            .build())) {
                var answer = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(request.uri().toString()).isBetween(400, 499);
                assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                        .startsWith("application/problem+json");
                assertThat(answer.body()).contains("\"code\":").doesNotContainIgnoringCase("tomcat");
            }
        }
    }

    @Test
    void aSupervisorTokenCannotClimbOutOfItsSandboxWithDotSegments() throws Exception {
        String supervisor;
        try (GatewayClient op = gw.operator()) {
            Sandbox s = op.sandboxes()
                    .create(
                            new SandboxCreateRequest(
                                    "climber", List.of("sleep", "60"), null, null, null, null, null, null, true),
                            RequestOptions.NONE);
            supervisor = java.nio.file.Files.readString(
                    gw.dataDir().resolve("test-driver").resolve(s.id()).resolve("token"));
        }
        try {
            for (String path : List.of(
                    "/api/v1/sandboxes/climber/../../../../metrics",
                    "/api/v1/sandboxes/climber/%2e%2e/%2e%2e/%2e%2e/%2e%2e/metrics",
                    "/api/v1/sandboxes/../tokens",
                    "/api/v1/sandboxes/climber/supervisor/../../../../../openapi.json",
                    "/api/v1/sandboxes/;x=y/../../../metrics")) {
                try (Socket raw = gw.trustOnly().getSocketFactory().createSocket("localhost", gw.port())) {
                    raw.setSoTimeout(10_000);
                    raw.getOutputStream()
                            .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                                            + supervisor + "\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    assertThat(answer.lines().findFirst().orElse("")).as(path).matches("HTTP/1.1 (400|401|403|404) .*");
                    assertThat(answer)
                            .as(path)
                            .doesNotContain("openshell_sandboxes")
                            .doesNotContain("\"openapi\"");
                }
            }
        } finally {
            try (GatewayClient op = gw.operator()) {
                op.sandboxes().delete("climber");
            }
        }
    }

    @Test
    void tokensCarryScopesAndCanBeRevoked() {
        ApiTokenCreated reader;
        try (GatewayClient op = gw.operator()) {
            reader = op.tokens()
                    .create(
                            new ApiTokenCreateRequest("ci", List.of(Scope.SANDBOX_READ), Duration.ofHours(1)),
                            RequestOptions.idempotent());
        }
        try (GatewayClient ci = gw.withToken(reader.secret())) {
            assertThat(ci.sandboxes().list(null).toList()).isNotNull();
            assertThatThrownBy(() ->
                            ci.sandboxes().create(SandboxCreateRequest.of(null, List.of("true")), RequestOptions.NONE))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
            assertThatThrownBy(() -> ci.tokens().list().toList())
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        }
        try (GatewayClient op = gw.operator()) {
            assertThat(op.tokens().revoke(reader.token().id()).result().wire()).isEqualTo("deleted");
        }
        try (GatewayClient ci = gw.withToken(reader.secret())) {
            assertThatThrownBy(() -> ci.sandboxes().list(null).toList())
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        }
    }

    @Test
    void anExpiredTokenIsRefusedOverTheWire() throws Exception {
        ApiTokenCreated shortLived;
        try (GatewayClient op = gw.operator()) {
            shortLived = op.tokens()
                    .create(
                            new ApiTokenCreateRequest(null, List.of(Scope.ADMIN), Duration.ofSeconds(1)),
                            RequestOptions.NONE);
        }
        try (GatewayClient ci = gw.withToken(shortLived.secret())) {
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThatThrownBy(
                                    () -> ci.sandboxes().list(null).toList())
                            .isInstanceOfSatisfying(
                                    ApiException.class,
                                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED)));
        }
    }
}
