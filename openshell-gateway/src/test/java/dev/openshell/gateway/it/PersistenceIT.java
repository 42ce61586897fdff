package dev.openshell.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.api.inference.Privacy;
import dev.openshell.api.policy.PolicyAck;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.provider.ProviderProtocol;
import dev.openshell.api.provider.ProviderRequest;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.gateway.provider.ProviderService;
import dev.openshell.gateway.support.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same scenarios against SQLite and a real PostgreSQL: a gateway restart loses nothing
 * (sandboxes, revisions, providers and their sealed credentials, routes, tokens, supervisor
 * tokens); reconciliation at start; idempotent creates under concurrent retries; If-Match and
 * conflicting writes.
 */
class PersistenceIT {

    private static final String POLICY = """
            version: 1
            network_policies:
              example:
                endpoints:
                  - host: example.com
                    port: 443
                binaries:
                  - path: /usr/bin/curl
            """;

    private static PostgresInstance postgres;

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String dbUrl(String database) throws Exception {
        if (database.equals("sqlite")) {
            return null;
        }
        if (postgres == null) {
            postgres = PostgresInstance.start();
        }
        return postgres.jdbcUrl();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRestartLosesNothingAndReconciles(String database) throws Exception {
        String url = dbUrl(database);
        Path dataDir = TempDirs.create("openshell-restart-" + database);
        Sandbox kept;
        Sandbox vanishing;
        ApiTokenCreated token;
        String supervisorToken;
        try (RunningGateway gw = RunningGateway.start(dataDir, url, Map.of());
                GatewayClient op = gw.operator()) {
            op.providers()
                    .create(
                            new ProviderRequest(
                                    "openai",
                                    "openai",
                                    "https://api.openai.com/v1",
                                    ProviderProtocol.OPENAI,
                                    Map.of("OPENAI_API_KEY", "sk-secret")),
                            RequestOptions.idempotent());
            op.inference()
                    .put(
                            new InferenceRoute("default", "openai", "gpt-x", Duration.ofSeconds(20), Privacy.ANY, null),
                            RequestOptions.NONE);
            token = op.tokens()
                    .create(
                            new ApiTokenCreateRequest("ci", List.of(Scope.SANDBOX_READ), Duration.ofDays(1)),
                            RequestOptions.NONE);
            kept = op.sandboxes()
                    .create(
                            new SandboxCreateRequest(
                                    "kept",
                                    List.of("sleep", "120"),
                                    Map.of(),
                                    Map.of("team", "ml"),
                                    null,
                                    List.of("openai"),
                                    null,
                                    null,
                                    true),
                            RequestOptions.idempotent());
            assertThat(kept.phase()).isEqualTo(SandboxPhase.READY);
            var rev = op.policies().set("kept", new PolicySetRequest(POLICY), RequestOptions.NONE);
            op.policies().awaitLoaded("kept", rev.number(), Duration.ofSeconds(10));
            vanishing = op.sandboxes()
                    .create(SandboxCreateRequest.of("vanishing", List.of("sleep", "120")), RequestOptions.NONE);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> op.sandboxes().get("vanishing").phase() == SandboxPhase.READY);
            supervisorToken = Files.readString(
                    dataDir.resolve("test-driver").resolve(kept.id()).resolve("token"));
            assertThat(op.sandboxes()
                            .exec("kept", ExecRequest.of(List.of("sh", "-c", "echo kept > file")), RequestOptions.NONE)
                            .exitCode())
                    .isZero();
        }

        // While the gateway is down: one workload vanishes, and a stray one appears.
        Path testDriver = dataDir.resolve("test-driver");
        try (var files = Files.walk(testDriver.resolve(vanishing.id()))) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
        Files.createDirectories(testDriver.resolve("sbx-stray").resolve("workspace"));
        Files.writeString(testDriver.resolve("sbx-stray").resolve("state"), "STOPPED");

        try (RunningGateway gw = RunningGateway.start(dataDir, url, Map.of());
                GatewayClient op = gw.operator()) {
            Sandbox again = op.sandboxes().get("kept");
            assertThat(again.id()).isEqualTo(kept.id());
            assertThat(again.labels()).containsEntry("team", "ml");
            assertThat(again.phase()).isEqualTo(SandboxPhase.READY); // its process outlived the gateway
            assertThat(again.policyRevision()).isEqualTo(2L);
            assertThat(op.policies()
                            .revisions("kept")
                            .map(r -> r.number() + ":" + r.status().wire())
                            .toList())
                    .containsExactly("2:loaded", "1:superseded");
            assertThat(op.providers().get("openai").credentialKeys()).containsExactly("OPENAI_API_KEY");
            assertThat(gw.bean(ProviderService.class).credentials("openai"))
                    .containsEntry("OPENAI_API_KEY", "sk-secret");
            assertThat(op.inference().get("default").model()).isEqualTo("gpt-x");
            assertThat(op.tokens().list().map(t -> t.id()).toList())
                    .contains(token.token().id());
            try (GatewayClient ci = gw.withToken(token.secret())) {
                assertThat(ci.sandboxes().list(null).map(Sandbox::name).toList())
                        .contains("kept", "vanishing");
            }
            try (GatewayClient sup = gw.withToken(supervisorToken)) {
                sup.post(
                        dev.openshell.api.ApiPaths.supervisorPolicyAcks("kept"),
                        PolicyAck.loaded(2),
                        Void.class,
                        RequestOptions.NONE);
            }
            Sandbox gone = op.sandboxes().get("vanishing");
            assertThat(gone.phase()).isEqualTo(SandboxPhase.ERROR);
            assertThat(gone.reason()).contains("workload is gone");
            assertThat(Files.exists(testDriver.resolve("sbx-stray"))).isFalse();
            assertThat(op.sandboxes()
                            .exec("kept", ExecRequest.of(List.of("cat", "file")), RequestOptions.NONE)
                            .stdout())
                    .isEqualTo("kept\n");

            assertThat(op.sandboxes().delete("kept").result().wire()).isEqualTo("deleted");
            assertThat(op.sandboxes().delete("vanishing").result().wire()).isEqualTo("deleted");
        }
        TempDirs.delete(dataDir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void concurrentRetriesOfOneCreateMakeOneSandboxAndWritesConflict(String database) throws Exception {
        String url = dbUrl(database);
        Path dataDir = TempDirs.create("openshell-race-" + database);
        try (RunningGateway gw = RunningGateway.start(dataDir, url, Map.of());
                GatewayClient op = gw.operator()) {
            RequestOptions retry = RequestOptions.idempotent();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Sandbox>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() ->
                        op.sandboxes().create(SandboxCreateRequest.of("raced", List.of("sleep", "60")), retry)));
            }
            Set<String> ids = new HashSet<>();
            for (Future<Sandbox> f : answers) {
                ids.add(f.get().id());
            }
            assertThat(ids).hasSize(1);
            assertThat(op.sandboxes()
                            .list(null)
                            .filter(s -> s.name().equals("raced"))
                            .count())
                    .isEqualTo(1);

            // Two writers with the same If-Match: one wins, the other learns it lost (412 or 409).
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> op.sandboxes().get("raced").phase() == SandboxPhase.READY);
            String version = op.sandboxes().get("raced").resourceVersion();
            List<Callable<String>> writers = new ArrayList<>();
            for (String host : new String[] {"a.example.com", "b.example.com", "c.example.com", "d.example.com"}) {
                writers.add(() -> {
                    try {
                        op.policies()
                                .set(
                                        "raced",
                                        new PolicySetRequest(POLICY.replace("example.com", host)),
                                        RequestOptions.ifMatch(version));
                        return "ok";
                    } catch (ApiException e) {
                        return e.code().wire();
                    }
                });
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> f : pool.invokeAll(writers)) {
                outcomes.add(f.get());
            }
            pool.shutdown();
            assertThat(outcomes).containsOnlyOnce("ok");
            assertThat(outcomes)
                    .filteredOn(o -> !o.equals("ok"))
                    .allMatch(
                            o -> o.equals(ErrorCode.PRECONDITION_FAILED.wire()) || o.equals(ErrorCode.CONFLICT.wire()));
            assertThat(op.policies().revisions("raced").count()).isEqualTo(2);
            assertThat(op.policies().revision("raced", 2).status()).isIn(RevisionStatus.PENDING, RevisionStatus.LOADED);
            op.sandboxes().delete("raced");
        }
        TempDirs.delete(dataDir);
    }
}
