package dev.openshell.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.DeleteResult;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.ExecResult;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.gateway.support.TempDirs;
import dev.openshell.sandbox.net.FakeInternet;
import dev.openshell.sandbox.proxy.TestUpstream;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through REST with the local driver: a real gateway process (the runnable jar, real
 * mTLS) whose sandboxes are real (network namespace, nftables, proxy, Landlock, seccomp, their own
 * uid) in a sandbox host outside the gateway; upstream servers in a fake internet.
 */
@RequiresRoot
@RequiresTool({"ip", "nft", "curl"})
class LocalDriverIT {

    private FakeInternet internet;
    private TestUpstream upstream;
    private String upstreamIp;
    private Path data;
    private GatewayProcess gateway;

    @BeforeEach
    void setUp() {
        internet = FakeInternet.open();
        int k = Integer.parseInt(internet.hostSideAddress().split("\\.")[2]);
        upstreamIp = internet.address("10.93." + k + ".1");
        upstream = internet.inside(() -> new TestUpstream(upstreamIp, null));
        data = TempDirs.create("osh-local-it");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        SandboxHostControl.shutdown(data.resolve("local"));
        if (upstream != null) {
            upstream.close();
        }
        if (internet != null) {
            internet.close();
        }
        TempDirs.delete(data);
    }

    private String policy(boolean allowCurl) {
        String base = "version: 1\n";
        if (!allowCurl) {
            return base;
        }
        return base + "network_policies:\n  upstream:\n    endpoints:\n      - host: " + upstreamIp + "\n        port: "
                + upstream.port() + "\n    binaries:\n      - path: /usr/bin/curl\n";
    }

    private String curl() {
        return "curl -s -w ' %{http_code}' --max-time 10 http://" + upstreamIp + ":" + upstream.port() + "/hello";
    }

    @Test
    void aSandboxLivesThroughTheRestApiAndOutlivesAGatewayKill() throws Exception {
        gateway = GatewayProcess.start(data);
        String id;
        try (GatewayClient gw = gateway.operator()) {
            Sandbox demo = gw.sandboxes()
                    .create(
                            new SandboxCreateRequest(
                                    "demo",
                                    List.of(),
                                    Map.of("GREETING", "hi"),
                                    Map.of(),
                                    policy(false),
                                    List.of(),
                                    null,
                                    null,
                                    true),
                            RequestOptions.idempotent());
            assertThat(demo.phase()).as(gateway.log()).isEqualTo(SandboxPhase.READY);
            id = demo.id();

            ExecResult hello = exec(gw, "echo out $GREETING; echo err >&2; id -u; pwd; exit 3");
            assertThat(hello.exitCode()).isEqualTo(3);
            assertThat(hello.stdout())
                    .startsWith("out hi\n")
                    .doesNotContain("\n0\n")
                    .contains("/sandbox");
            assertThat(hello.stderr()).isEqualTo("err\n");

            ExecResult denied = exec(gw, curl());
            assertThat(denied.stdout()).contains("policy_denied").endsWith(" 403");

            PolicyRevision allowed = gw.policies().set("demo", new PolicySetRequest(policy(true)), RequestOptions.NONE);
            assertThat(gw.policies()
                            .awaitLoaded("demo", allowed.number(), Duration.ofSeconds(30))
                            .status())
                    .isEqualTo(RevisionStatus.LOADED);
            assertThat(exec(gw, curl()).stdout()).contains("GET /hello").endsWith(" 200");

            ExecResult timedOut = gw.sandboxes()
                    .exec(
                            "demo",
                            new ExecRequest(List.of("sleep", "30"), null, Duration.ofMillis(500)),
                            RequestOptions.NONE);
            assertThat(timedOut.exitCode()).isEqualTo(124);
            assertThat(timedOut.timedOut()).isTrue();

            assertThat(exec(gw, "echo kept > /sandbox/note && cat /sandbox/note")
                            .stdout())
                    .isEqualTo("kept\n");
            assertThat(gw.sandboxes().stop("demo").phase()).isEqualTo(SandboxPhase.STOPPED);
            assertThat(namespaceExists(id)).isFalse();
            gw.sandboxes().start("demo");
            awaitPhase(gw, "demo", SandboxPhase.READY);
            assertThat(exec(gw, "cat /sandbox/note").stdout()).isEqualTo("kept\n");
            // After a start the sandbox enforces the newest revision again.
            assertThat(exec(gw, curl()).stdout()).endsWith(" 200");
        }

        gateway.kill();
        gateway = null;
        // No gateway: the sandbox still runs and enforces its last policy (never fail-open).
        assertThat(namespaceExists(id)).isTrue();
        assertThat(inNamespace(
                        id,
                        "curl -s -o /dev/null -w %{http_code} --max-time 10 http://" + upstreamIp + ":"
                                + upstream.port() + "/captured"))
                .isEqualTo("200");
        String other = inNamespace(
                id, "wget -q -O - -T 10 http://" + upstreamIp + ":" + upstream.port() + "/by-wget 2>&1; echo \" $?\"");
        assertThat(other).doesNotContain("GET /by-wget").doesNotEndWith(" 0");

        gateway = GatewayProcess.start(data);
        try (GatewayClient gw = gateway.operator()) {
            assertThat(gw.sandboxes().list(null).map(Sandbox::name)).containsExactly("demo");
            assertThat(gw.sandboxes().get("demo").phase()).isEqualTo(SandboxPhase.READY);
            awaitExecWorks(gw);
            PolicyRevision closed = gw.policies().set("demo", new PolicySetRequest(policy(false)), RequestOptions.NONE);
            assertThat(gw.policies()
                            .awaitLoaded("demo", closed.number(), Duration.ofSeconds(30))
                            .status())
                    .isEqualTo(RevisionStatus.LOADED);
            assertThat(exec(gw, curl()).stdout()).endsWith(" 403");
            assertThat(gw.sandboxes().logs("demo", null).map(l -> l.text()))
                    .anyMatch(t -> t.contains("denied: /usr/bin/curl"));

            assertThat(gw.sandboxes().delete("demo").result()).isEqualTo(DeleteResult.Outcome.DELETED);
        }
        assertNothingLeft(id);
    }

    @Test
    void reconciliationRemovesStrayWorkloadsAndMarksLostOnesError() throws Exception {
        gateway = GatewayProcess.start(data);
        String lostId;
        try (GatewayClient gw = gateway.operator()) {
            lostId = gw.sandboxes()
                    .create(
                            new SandboxCreateRequest(
                                    "lost", List.of(), Map.of(), Map.of(), null, List.of(), null, null, true),
                            RequestOptions.idempotent())
                    .id();
        }
        gateway.kill();
        gateway = null;
        Path hostDir = data.resolve("local");
        // Behind the gateway's back: its workload vanishes, and a workload without a record appears.
        SandboxHostControl.request(hostDir, Map.of("op", "delete", "sandbox_id", lostId));
        String strayId = "sbx-00000000000000aa";
        Map<String, Object> stray = Map.of(
                "id",
                strayId,
                "name",
                "stray",
                "command",
                List.of("sleep", "infinity"),
                "policy",
                "version: 1\n",
                "policy_revision",
                1,
                "supervisor_token",
                "not-a-token");
        assertThat(SandboxHostControl.request(hostDir, Map.of("op", "create", "sandbox", stray))
                        .path("ok")
                        .asBoolean())
                .isTrue();
        assertThat(namespaceExists(strayId)).isTrue();

        gateway = GatewayProcess.start(data);
        try (GatewayClient gw = gateway.operator()) {
            Sandbox lost = gw.sandboxes().get("lost");
            assertThat(lost.phase()).isEqualTo(SandboxPhase.ERROR);
            assertThat(lost.reason()).contains("workload is gone");
            assertThat(gw.sandboxes().delete("lost").result()).isEqualTo(DeleteResult.Outcome.DELETED);
        }
        assertNothingLeft(strayId);
        assertNothingLeft(lostId);
    }

    private static ExecResult exec(GatewayClient gw, String script) {
        return gw.sandboxes()
                .exec(
                        "demo",
                        new ExecRequest(List.of("sh", "-c", script), null, Duration.ofSeconds(30)),
                        RequestOptions.NONE);
    }

    private static void awaitPhase(GatewayClient gw, String name, SandboxPhase phase) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (gw.sandboxes().get(name).phase() != phase && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(gw.sandboxes().get(name).phase()).isEqualTo(phase);
    }

    /** After a gateway restart the session comes back on its own (backoff), then exec works. */
    private static void awaitExecWorks(GatewayClient gw) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                exec(gw, "true");
                return;
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean namespaceExists(String id) {
        return Files.exists(Path.of("/var/run/netns/osh-" + id));
    }

    private static String inNamespace(String id, String script) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", "osh-" + id, "sh", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private void assertNothingLeft(String id) throws Exception {
        assertThat(namespaceExists(id)).as("network namespace").isFalse();
        assertThat(run("nft", "list", "tables")).as("nft table").doesNotContain("osh_" + id);
        assertThat(Path.of("/run/openshell/sandboxes", id))
                .as("state directory")
                .doesNotExist();
        assertThat(data.resolve("local/sandboxes").resolve(id)).as("workspace").doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/memory/openshell", id)).as("cgroup").doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/openshell", id)).as("cgroup v2").doesNotExist();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
