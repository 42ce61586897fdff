package dev.openshell.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Page;
import dev.openshell.api.Samples;
import dev.openshell.api.client.FakeGateway.Answer;
import dev.openshell.api.client.FakeGateway.Received;
import dev.openshell.api.sandbox.Sandbox;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link GatewayClient} authenticates, against a real {@code HttpsServer} with real TLS: client
 * certificates (mTLS), bearer tokens, and what it refuses (an untrusted gateway, plain-http
 * tokens, redirects).
 */
class GatewayClientAuthIT {

    private final TestPki pki = new TestPki("openshell-test-ca");
    private final TestPki.Issued serverCert = pki.server();
    private FakeGateway gateway;
    private GatewayClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private FakeGateway mtlsGateway() throws Exception {
        gateway = new FakeGateway(pki.context(serverCert), true);
        return gateway;
    }

    private GatewayClient mtlsClient() {
        client = GatewayClient.builder(gateway.url())
                .sslContext(pki.context(pki.client("cli-user")))
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        return client;
    }

    private Received next() throws InterruptedException {
        Received r = gateway.received.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("the gateway got a request").isNotNull();
        return r;
    }

    @Test
    void mutualTlsGetReadsTheRecord() throws Exception {
        mtlsGateway().on("GET", "/api/v1/sandboxes/demo", Answer.json(200, Samples.SANDBOX));
        Sandbox got = mtlsClient().sandboxes().get("demo");
        assertThat(got).isEqualTo(Samples.SANDBOX);
        Received r = next();
        assertThat(r.clientCn()).isEqualTo("CN=cli-user");
        assertThat(r.headers().get("accept")).isEqualTo("application/json, application/problem+json");
        assertThat(r.headers().get("user-agent")).startsWith("openshell-api/");
        assertThat(r.headers()).doesNotContainKey("authorization");
    }

    @Test
    void aClientWithoutACertificateIsTurnedAway() throws Exception {
        mtlsGateway().on("GET", "/api/v1/sandboxes/demo", Answer.json(200, Samples.SANDBOX));
        client = GatewayClient.builder(gateway.url())
                .sslContext(pki.context(null))
                .build();
        assertThatThrownBy(() -> client.sandboxes().get("demo")).isInstanceOfSatisfying(ApiException.class, e -> {
            // Under TLS 1.3 the server refuses the missing certificate after the client has
            // finished its handshake: depending on timing the client sees the alert (tls_failed)
            // or only the closed connection, and then says why a gateway would close it.
            assertThat(e.code()).as(e.getMessage()).isIn(ErrorCode.TLS_FAILED, ErrorCode.GATEWAY_UNREACHABLE);
            if (e.code() == ErrorCode.GATEWAY_UNREACHABLE) {
                assertThat(e.getMessage()).contains("client certificate");
            }
            assertThat(e.getMessage()).contains(gateway.url().toString());
        });
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void aCertificateFromAnotherCaIsTurnedAway() throws Exception {
        mtlsGateway().on("GET", "/api/v1/sandboxes/demo", Answer.json(200, Samples.SANDBOX));
        TestPki foreign = new TestPki("someone-else");
        // trusts the gateway, but presents a certificate the gateway's CA never issued
        client = GatewayClient.builder(gateway.url())
                .sslContext(pki.context(foreign.client("intruder")))
                .build();
        assertThatThrownBy(() -> client.sandboxes().get("demo"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.TLS_FAILED));
        assertThat(gateway.received).isEmpty();
    }

    @Test
    void aGatewayWithAnUntrustedCertificateIsTlsFailed() throws Exception {
        mtlsGateway();
        TestPki other = new TestPki("other-ca");
        client = GatewayClient.builder(gateway.url())
                .sslContext(other.context(other.client("x")))
                .build();
        assertThatThrownBy(() -> client.sandboxes().get("demo")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TLS_FAILED);
            assertThat(e.exitCode()).isEqualTo(5);
        });
    }

    @Test
    void bearerTokenAuthenticates() throws Exception {
        gateway = new FakeGateway(pki.context(serverCert), false);
        gateway.on("GET", "/api/v1/tokens", Answer.json(200, Page.last(List.of(Samples.TOKEN))));
        client = GatewayClient.builder(gateway.url())
                .sslContext(pki.context(null))
                .bearerToken("osh_1a2b_s3cr3t")
                .build();
        assertThat(client.tokens().list().toList()).containsExactly(Samples.TOKEN);
        Received r = next();
        assertThat(r.headers().get("authorization")).isEqualTo("Bearer osh_1a2b_s3cr3t");
        assertThat(r.clientCn()).isNull();
    }

    @Test
    void aBearerTokenIsNeverSentOverPlainHttpToAnotherHost() {
        assertThatThrownBy(() -> GatewayClient.builder(URI.create("http://gw.example.com:8080"))
                        .bearerToken("t")
                        .build())
                .hasMessageContaining("refusing to send an API token over plain http");
        assertThatThrownBy(() -> GatewayClient.builder(URI.create("http://10.0.0.1:8080"))
                        .bearerToken("t")
                        .build())
                .hasMessageContaining("plain http");
        GatewayClient.builder(URI.create("http://127.0.0.1:8080"))
                .bearerToken("t")
                .build()
                .close();
        GatewayClient.builder(URI.create("http://[::1]:8080"))
                .bearerToken("t")
                .build()
                .close();
        assertThatThrownBy(() -> GatewayClient.builder(URI.create("https://u:p@gw.example.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayClient.builder(URI.create("ftp://gw.example.com")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayClient.builder(URI.create("https://gw.example.com"))
                        .bearerToken("a\r\nX: y"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (FakeGateway elsewhere = new FakeGateway(pki.context(serverCert), false)) {
            elsewhere.on("GET", "/steal", Answer.json(200, Samples.SANDBOX));
            gateway = new FakeGateway(pki.context(serverCert), false);
            gateway.on(
                    "GET",
                    "/api/v1/sandboxes/demo",
                    new Answer(302, null, null, 0, Map.of("Location", elsewhere.url() + "/steal")));
            client = GatewayClient.builder(gateway.url())
                    .sslContext(pki.context(null))
                    .bearerToken("secret")
                    .build();
            assertThatThrownBy(() -> client.sandboxes().get("demo")).isInstanceOf(ApiException.class);
            assertThat(elsewhere.received)
                    .as("the token never went to the redirect target")
                    .isEmpty();
        }
    }
}
