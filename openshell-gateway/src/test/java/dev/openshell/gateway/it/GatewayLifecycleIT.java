package dev.openshell.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.decision.DecisionQuery;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.api.validation.LabelSelector;
import dev.openshell.gateway.testdriver.ProcessTestDriver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sandbox's life through the REST API over real mTLS, with the shared client of {@code openshell-api}. */
class GatewayLifecycleIT {

    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = SharedGateway.get();
    }

    @Test
    void createExecPolicyStopStartDelete() {
        try (GatewayClient op = gw.operator()) {
            Sandbox s = op.sandboxes()
                    .create(
                            new SandboxCreateRequest(
                                    "life",
                                    List.of("sleep", "120"),
                                    Map.of("GREETING", "hi"),
                                    Map.of("ci", "yes"),
                                    null,
                                    List.of(),
                                    null,
                                    null,
                                    true),
                            RequestOptions.idempotent());
            assertThat(s.phase()).isEqualTo(SandboxPhase.READY);
            assertThat(op.sandboxes()
                            .list(LabelSelector.parse("s", "ci=yes"))
                            .map(Sandbox::name)
                            .toList())
                    .contains("life");

            var out = op.sandboxes()
                    .exec(
                            "life",
                            new ExecRequest(List.of("sh", "-c", "echo $0; cat"), "piped", null),
                            RequestOptions.NONE);
            assertThat(out.stdout()).isEqualTo("sh\npiped");

            var rev = op.policies()
                    .set(
                            "life",
                            new PolicySetRequest(
                                    "version: 1\nnetwork_policies:\n  e:\n    endpoints:\n      - host: example.com\n"
                                            + "        port: 443\n    binaries:\n      - path: /usr/bin/curl\n"),
                            RequestOptions.ifMatch(s.resourceVersion()));
            assertThat(op.policies()
                            .awaitLoaded("life", rev.number(), Duration.ofSeconds(10))
                            .status())
                    .isEqualTo(RevisionStatus.LOADED);
            var rejected = op.policies()
                    .set(
                            "life",
                            new PolicySetRequest("version: 1\nnetwork_policies:\n  e:\n    endpoints:\n      - host: "
                                    + ProcessTestDriver.REJECT_HOST + "\n        port: 443\n    binaries:\n"
                                    + "      - path: /usr/bin/curl\n"),
                            RequestOptions.NONE);
            assertThatThrownBy(() -> op.policies().awaitLoaded("life", rejected.number(), Duration.ofSeconds(10)))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.POLICY_REJECTED));
            assertThat(op.policies().get("life").number()).isEqualTo(rev.number());

            assertThat(op.sandboxes().stop("life").phase()).isEqualTo(SandboxPhase.STOPPED);
            assertThatThrownBy(() -> op.sandboxes().exec("life", ExecRequest.of(List.of("true")), RequestOptions.NONE))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SANDBOX_NOT_READY));
            op.sandboxes().start("life");
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> op.sandboxes().get("life").phase() == SandboxPhase.READY);
            assertThat(op.sandboxes().delete("life").result().wire()).isEqualTo("deleted");
            assertThat(op.sandboxes().delete("life").result().wire()).isEqualTo("already_absent");
            assertThat(op.decisions().list(DecisionQuery.ALL).toList()).isNotNull();
        }
    }

    @Test
    void logsFollowOverServerSentEvents() throws Exception {
        try (GatewayClient op = gw.operator()) {
            op.sandboxes().create(SandboxCreateRequest.of("follow", List.of("sleep", "120")), RequestOptions.NONE);
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(gw.clientCertificate().sslContext(gw.ca()))
                    .build();
            HttpRequest follow = HttpRequest.newBuilder(gw.url().resolve("/api/v1/sandboxes/follow/logs?follow=true"))
                    .header("Accept", "text/event-stream")
                    .build();
            HttpResponse<java.io.InputStream> answer = http.send(follow, HttpResponse.BodyHandlers.ofInputStream());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        received.add(line);
                        if (line.startsWith("data:") && line.contains("second")) {
                            return line;
                        }
                    }
                    return "ended";
                } catch (Exception e) {
                    return "failed: " + e;
                }
            });
            op.post(
                    dev.openshell.api.ApiPaths.supervisorLogs("follow"),
                    List.of(new LogLine(null, LogLine.Source.AGENT, LogLine.Stream.STDOUT, "first")),
                    Void.class,
                    RequestOptions.NONE);
            // "second" only once "first" came as an event: it must arrive live, not in a first batch.
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> received.stream().anyMatch(l -> l.startsWith("data:") && l.contains("first")));
            op.post(
                    dev.openshell.api.ApiPaths.supervisorLogs("follow"),
                    List.of(new LogLine(null, LogLine.Source.AGENT, LogLine.Stream.STDOUT, "second")),
                    Void.class,
                    RequestOptions.NONE);
            assertThat(seen.get(15, TimeUnit.SECONDS)).contains("\"text\":\"second\"");
            assertThat(op.sandboxes()
                            .logs("follow", Duration.ofMinutes(5))
                            .map(LogLine::text)
                            .toList())
                    .containsExactly("first", "second");
            op.sandboxes().delete("follow");
            http.close();
        }
    }
}
