package dev.openshell.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Page;
import dev.openshell.api.Problem;
import dev.openshell.api.Samples;
import dev.openshell.api.client.FakeGateway.Answer;
import dev.openshell.api.client.FakeGateway.Received;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.validation.LabelSelector;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link GatewayClient} against a real {@code HttpsServer} on an ephemeral loopback port with real
 * TLS (certificates from a throw-away CA made with Bouncy Castle).
 */
class GatewayClientIT {

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
    void createSendsSnakeCaseJsonTheGatewayReadsStrictlyWithIdempotencyKeyAndIfMatch() throws Exception {
        mtlsGateway().on("POST", ApiPaths.SANDBOXES, r -> {
            // the gateway side: the strict reader accepts what the client wrote
            SandboxCreateRequest req = ApiJson.readRequest(r.body(), SandboxCreateRequest.class);
            return Answer.json(req.equals(Samples.SANDBOX_CREATE) ? 201 : 400, Samples.SANDBOX);
        });
        RequestOptions options = RequestOptions.idempotent().withIfMatch("17");
        Sandbox created = mtlsClient().sandboxes().create(Samples.SANDBOX_CREATE, options);
        assertThat(created).isEqualTo(Samples.SANDBOX);
        Received r = next();
        assertThat(r.headers().get("idempotency-key"))
                .isEqualTo(options.idempotencyKey())
                .hasSize(36);
        assertThat(r.headers().get("if-match")).isEqualTo("\"17\"");
        assertThat(r.headers().get("content-type")).isEqualTo("application/json");
        assertThat(r.body())
                .contains("\"memory_bytes\":536870912", "\"wait\":true")
                .doesNotContain("null");
    }

    @Test
    void aProblemBecomesAnApiExceptionWithItsCode() throws Exception {
        Problem conflict = Problem.of(ErrorCode.PRECONDITION_FAILED, "sandbox demo is at resource_version 18, not 17");
        mtlsGateway()
                .on(
                        "PUT",
                        "/api/v1/sandboxes/demo/policy",
                        Answer.raw(412, Problem.MEDIA_TYPE, ApiJson.strict().writeValueAsString(conflict)));
        assertThatThrownBy(() -> mtlsClient().policies().set("demo", Samples.POLICY_SET, RequestOptions.ifMatch("17")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION_FAILED);
                    assertThat(e.exitCode()).isEqualTo(4);
                    assertThat(e.getMessage()).isEqualTo("sandbox demo is at resource_version 18, not 17");
                    assertThat(e.problem().instance()).isEqualTo("/api/v1/sandboxes/demo/policy");
                    assertThat(e.hint()).isEqualTo(ErrorCode.PRECONDITION_FAILED.hint());
                });
    }

    @Test
    void validationErrorsKeepTheirFieldList() throws Exception {
        mtlsGateway().on("POST", ApiPaths.SANDBOXES, r -> {
            try {
                ApiJson.readRequest(r.body(), SandboxCreateRequest.class).validate();
                return Answer.json(201, Samples.SANDBOX);
            } catch (ApiException e) {
                return Answer.raw(
                        e.problem().status(),
                        Problem.MEDIA_TYPE,
                        ApiJson.strict().writeValueAsString(e.problem()));
            }
        });
        assertThatThrownBy(() -> mtlsClient()
                        .sandboxes()
                        .create(SandboxCreateRequest.of("Bad Name", List.of()), RequestOptions.NONE))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.problem().errors())
                            .singleElement()
                            .satisfies(f -> assertThat(f.field()).isEqualTo("name"));
                });
    }

    @Test
    void aCodeFromANewerGatewayFallsBackToItsStatus() throws Exception {
        mtlsGateway()
                .on(
                        "GET",
                        "/api/v1/sandboxes/demo",
                        Answer.raw(
                                429,
                                Problem.MEDIA_TYPE,
                                "{\"status\":429,\"code\":\"quota_exceeded\",\"detail\":\"5 sandboxes per user\",\"quota\":5}"));
        assertThatThrownBy(() -> mtlsClient().sandboxes().get("demo")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.getMessage()).isEqualTo("5 sandboxes per user");
        });
    }

    @Test
    void anAnswerThatIsNotAProblemGetsOneFromItsStatus() throws Exception {
        mtlsGateway()
                .on(
                        "GET",
                        "/api/v1/sandboxes/demo",
                        Answer.raw(502, "text/html", "<html><body>\u001b[2J502 Bad Gateway\n</body></html>"));
        assertThatThrownBy(() -> mtlsClient().sandboxes().get("demo")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.exitCode()).isEqualTo(69);
            assertThat(e.getMessage())
                    .startsWith("HTTP 502 from the gateway for /api/v1/sandboxes/demo: <html>")
                    .doesNotContain("\u001b")
                    .doesNotContain("\n");
        });
    }

    @Test
    void aSlowAnswerIsATimeoutAndOptionsCanAllowLonger() throws Exception {
        mtlsGateway()
                .on(
                        "POST",
                        "/api/v1/sandboxes/slow/start",
                        new Answer(
                                200,
                                "application/json",
                                ApiJson.strict().writeValueAsString(Samples.SANDBOX),
                                1500,
                                Map.of()));
        client = GatewayClient.builder(gateway.url())
                .sslContext(pki.context(pki.client("cli-user")))
                .requestTimeout(Duration.ofMillis(300))
                .build();
        assertThatThrownBy(() -> client.sandboxes().start("slow")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(e.exitCode()).isEqualTo(124);
        });
        Sandbox late = client.post(
                ApiPaths.sandboxStart("slow"),
                null,
                Sandbox.class,
                RequestOptions.NONE.withTimeout(Duration.ofSeconds(10)));
        assertThat(late).isEqualTo(Samples.SANDBOX);
    }

    @Test
    void anUnreachableGatewaySaysSo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, TestPki.loopback())) {
            closedPort = s.getLocalPort();
        }
        client = GatewayClient.builder(URI.create("https://127.0.0.1:" + closedPort))
                .sslContext(pki.context(null))
                .build();
        assertThatThrownBy(() -> client.sandboxes().get("demo")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.GATEWAY_UNREACHABLE);
            assertThat(e.exitCode()).isEqualTo(69);
            assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort);
        });
    }

    @Test
    void listingFollowsPageTokensLazily() throws Exception {
        Sandbox a = named("a"), b = named("b"), c = named("c");
        mtlsGateway().on("GET", ApiPaths.SANDBOXES, r -> {
            String q = r.query() == null ? "" : r.query();
            if (q.contains("page_token=p3")) {
                return Answer.json(200, Page.last(List.of(c)));
            }
            if (q.contains("page_token=p2")) {
                return Answer.json(200, new Page<>(List.of(), "p3")); // an empty page in the middle
            }
            return Answer.json(200, new Page<>(List.of(a, b), "p2"));
        });
        mtlsClient();
        var stream = client.sandboxes().list(LabelSelector.parse("selector", "team=ml,env!=prod"));
        assertThat(gateway.received)
                .as("nothing fetched before the stream is consumed")
                .isEmpty();
        assertThat(stream.toList()).containsExactly(a, b, c);
        assertThat(next().query()).isEqualTo("label_selector=team=ml,env!=prod");
        assertThat(next().query()).isEqualTo("label_selector=team=ml,env!=prod&page_token=p2");
        assertThat(next().query()).isEqualTo("label_selector=team=ml,env!=prod&page_token=p3");

        gateway.received.clear();
        assertThat(client.sandboxes().list(null).limit(1).toList()).containsExactly(a);
        assertThat(gateway.received).hasSize(1);
    }

    @Test
    void aRepeatedPageTokenEndsTheListingInsteadOfLoopingForever() throws Exception {
        mtlsGateway().on("GET", ApiPaths.PROVIDERS, Answer.json(200, new Page<>(List.of(Samples.PROVIDER), "same")));
        assertThatThrownBy(() -> mtlsClient().providers().list().toList())
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL))
                .hasMessageContaining("same page token twice");
    }

    @Test
    void oversizedAnswersAreCutOff() throws Exception {
        mtlsGateway()
                .on(
                        "GET",
                        "/api/v1/sandboxes/big",
                        Answer.raw(200, "application/json", "{\"name\":\"" + "x".repeat(4096) + "\"}"));
        client = GatewayClient.builder(gateway.url())
                .sslContext(pki.context(pki.client("u")))
                .maxAnswerBytes(1024)
                .build();
        assertThatThrownBy(() -> client.sandboxes().get("big")).hasMessageContaining("larger than 1024 bytes");
    }

    @Test
    void deletesAreIdempotentAndNoContentIsNull() throws Exception {
        mtlsGateway()
                .on("DELETE", "/api/v1/sandboxes/gone", Answer.json(200, DeleteResult.alreadyAbsent("gone")))
                .on("POST", "/api/v1/sandboxes/demo/stop", Answer.raw(204, null, null));
        assertThat(mtlsClient().sandboxes().delete("gone")).isEqualTo(DeleteResult.alreadyAbsent("gone"));
        assertThat(client.sandboxes().stop("demo")).isNull();
    }

    @Test
    void awaitLoadedPollsUntilTheRevisionSettles() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        PolicyRevision pending = revision(RevisionStatus.PENDING, null);
        mtlsGateway()
                .on(
                        "GET",
                        "/api/v1/sandboxes/demo/policy/revisions/2",
                        r -> Answer.json(
                                200, polls.incrementAndGet() < 3 ? pending : revision(RevisionStatus.LOADED, null)))
                .on(
                        "GET",
                        "/api/v1/sandboxes/bad/policy/revisions/2",
                        Answer.json(200, revision(RevisionStatus.FAILED, "line 4: unknown key `endpoint`")))
                .on("GET", "/api/v1/sandboxes/stuck/policy/revisions/2", Answer.json(200, pending));
        mtlsClient();
        assertThat(client.policies()
                        .awaitLoaded("demo", 2, Duration.ofSeconds(10))
                        .status())
                .isEqualTo(RevisionStatus.LOADED);
        assertThat(polls.get()).isEqualTo(3);
        assertThatThrownBy(() -> client.policies().awaitLoaded("bad", 2, Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.POLICY_REJECTED);
                    assertThat(e.exitCode()).isEqualTo(1);
                })
                .hasMessageContaining("line 4: unknown key `endpoint`");
        assertThatThrownBy(() -> client.policies().awaitLoaded("stuck", 2, Duration.ofMillis(400)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.exitCode()).isEqualTo(124))
                .hasMessage("policy revision 2 of sandbox stuck is still pending after 400ms");
    }

    private static Sandbox named(String name) {
        return new Sandbox("id-" + name, name, null, null, null, null, null, null, null, null, null, null, null, "1");
    }

    private static PolicyRevision revision(RevisionStatus status, String error) {
        return new PolicyRevision(2, status, error, "sha256:00", Samples.CREATED, null, "version: 1\n");
    }
}
