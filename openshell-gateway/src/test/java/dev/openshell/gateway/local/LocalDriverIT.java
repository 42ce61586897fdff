package dev.openshell.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.openshell.api.ApiException;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.ExecResult;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.api.sandbox.SshAccess;
import dev.openshell.api.session.SessionMessage;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end through REST with the local driver: a real gateway process (the runnable jar, real
 * mTLS) whose sandboxes are real (network namespace, nftables, proxy, Landlock, seccomp, their own
 * uid) in a sandbox host outside the gateway; upstream servers in a fake internet.
 */
@RequiresRoot
@RequiresTool({"ip", "nft", "curl", "wget", "tar", "ssh", "ssh-keygen"})
class LocalDriverIT {

    private FakeInternet internet;
    private TestUpstream upstream;
    private String upstreamIp;
    private Path data;
    private GatewayProcess gateway;
    private int gatewayPort;

    @BeforeEach
    void setUp() {
        internet = FakeInternet.open();
        upstreamIp = internet.upstreamAddress();
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
        // The gateway's own port is listed too: the destination guard must refuse it anyway.
        return base + "network_policies:\n  upstream:\n    endpoints:\n      - host: " + upstreamIp + "\n        port: "
                + upstream.port() + "\n      - host: 127.0.0.1\n        port: " + gatewayPort
                + "\n    binaries:\n      - path: /usr/bin/curl\n";
    }

    /**
     * The agent cannot reach the control plane: not the gateway (through the proxy, even with the
     * policy naming its address, nor around it), not the sandbox host's socket or directory.
     */
    private void theAgentCannotReachTheGatewayOrTheHost(GatewayClient gw) {
        String url = "https://127.0.0.1:" + gatewayPort + "/healthz";
        ExecResult viaProxy =
                exec(gw, "curl -sk -o /dev/null -w '%{http_code}' --max-time 5 " + url + "; echo \" $?\"");
        assertThat(viaProxy.stdout()).doesNotStartWith("200");
        ExecResult direct = exec(
                gw, "curl -sk --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 5 " + url + "; echo \" $?\"");
        assertThat(direct.stdout()).doesNotStartWith("200");
        Path hostDir = data.resolve("local");
        ExecResult files = exec(
                gw,
                "for p in " + hostDir + " " + hostDir.resolve("host.sock") + " " + data.resolve("gateway.db") + " "
                        + data.resolve("tls") + "; do test -e $p && echo visible:$p; done; echo done");
        assertThat(files.stdout()).isEqualTo("done\n");
    }

    private String curl() {
        return "curl -s -w ' %{http_code}' --max-time 10 http://" + upstreamIp + ":" + upstream.port() + "/hello";
    }

    @Test
    void aSandboxLivesThroughTheRestApiAndOutlivesAGatewayKill() throws Exception {
        gateway = GatewayProcess.start(data);
        gatewayPort = gateway.port();
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
            assertThat(demo.phase()).as(demo.reason()).isEqualTo(SandboxPhase.READY);
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
            // the hint names the sandbox as the gateway knows it, so the command it gives works
            assertThat(denied.stdout()).contains("\"next_steps\":\"openshell policy update demo ");

            PolicyRevision allowed = gw.policies().set("demo", new PolicySetRequest(policy(true)), RequestOptions.NONE);
            assertThat(gw.policies()
                            .awaitLoaded("demo", allowed.number(), Duration.ofSeconds(30))
                            .status())
                    .isEqualTo(RevisionStatus.LOADED);
            assertThat(exec(gw, curl()).stdout()).contains("GET /hello").endsWith(" 200");
            theAgentCannotReachTheGatewayOrTheHost(gw);

            filesTravelAsTarStreams(gw);
            execStreams(gw);
            execSignals(gw);
            sshThroughTheTunnel(gw);

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
            // The supervisor's last words before the stop reached the gateway (its state directory is gone).
            assertThat(gw.sandboxes().logs("demo", null).map(l -> l.text())).anyMatch(t -> t.startsWith("stopped"));
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
            // Reconciliation runs once the gateway is up; /readyz may answer a moment before it ends.
            awaitPhase(gw, "lost", SandboxPhase.ERROR);
            Sandbox lost = gw.sandboxes().get("lost");
            assertThat(lost.reason()).contains("workload is gone");
            assertThat(gw.sandboxes().delete("lost").result()).isEqualTo(DeleteResult.Outcome.DELETED);
        }
        assertNothingLeft(strayId);
        assertNothingLeft(lostId);
    }

    /**
     * The sandbox host dies ({@code kill -9}) while the gateway runs: its running sandboxes turn
     * {@code Error} within seconds with a reason that says their traffic was refused, a stopped one
     * stays stopped, a new host reclaims what the dead one left, a new create works, and the failed
     * sandbox starts again with its workspace.
     */
    @Test
    void aDeadSandboxHostIsNoticedAtOnceAndReplaced() throws Exception {
        gateway = GatewayProcess.start(data);
        gatewayPort = gateway.port();
        Path hostDir = data.resolve("local");
        try (GatewayClient gw = gateway.operator()) {
            String victim = create(gw, "victim").id();
            exec(gw, "victim", "echo kept > /sandbox/note");
            String resting = create(gw, "resting").id();
            gw.sandboxes().stop("resting");
            awaitPhase(gw, "resting", SandboxPhase.STOPPED);
            assertThat(namespaceExists(victim)).isTrue();
            java.util.regex.Matcher veth =
                    java.util.regex.Pattern.compile("osh(\\d+)s").matcher(inNamespace(victim, "ip -o link"));
            assertThat(veth.find()).isTrue();
            String hostVeth = "osh" + veth.group(1) + "h";
            assertThat(run("ip", "-o", "link")).contains(hostVeth + "@");

            long pid =
                    Long.parseLong(Files.readString(hostDir.resolve("host.pid")).strip());
            assertThat(new ProcessBuilder("kill", "-9", Long.toString(pid))
                            .start()
                            .waitFor())
                    .isZero();

            Awaitility.await("the gateway notices the dead host")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> gw.sandboxes().get("victim").phase() == SandboxPhase.ERROR);
            assertThat(gw.sandboxes().get("victim").reason())
                    .contains("sandbox host process (pid " + pid + ") was killed by signal 9")
                    .contains("fail-closed");
            assertThat(gw.sandboxes().get("resting").phase()).isEqualTo(SandboxPhase.STOPPED);

            // A new host started, and its start reclaimed the dead one's leftovers.
            Awaitility.await("a new sandbox host")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> hostPid(hostDir) != pid && hostAlive(hostDir));
            Awaitility.await("the dead host's sandboxes are reclaimed")
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertNetworkGone(victim, hostVeth));

            String after = create(gw, "after").id();
            assertThat(exec(gw, "after", "echo fresh").stdout()).isEqualTo("fresh\n");

            Sandbox back = gw.sandboxes().start("victim", true, RequestOptions.NONE);
            assertThat(back.phase()).as(back.reason()).isEqualTo(SandboxPhase.READY);
            assertThat(exec(gw, "victim", "cat /sandbox/note").stdout()).isEqualTo("kept\n");

            for (String name : List.of("victim", "resting", "after")) {
                gw.sandboxes().delete(name);
            }
            assertNothingLeft(victim);
            assertNothingLeft(resting);
            assertNothingLeft(after);
        }
    }

    private Sandbox create(GatewayClient gw, String name) {
        Sandbox s = gw.sandboxes()
                .create(
                        new SandboxCreateRequest(
                                name, List.of(), Map.of(), Map.of(), null, List.of(), null, null, true),
                        RequestOptions.idempotent());
        assertThat(s.phase()).as(s.reason()).isEqualTo(SandboxPhase.READY);
        return s;
    }

    private static long hostPid(Path hostDir) {
        try {
            return Long.parseLong(Files.readString(hostDir.resolve("host.pid")).strip());
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static boolean hostAlive(Path hostDir) {
        return ProcessHandle.of(hostPid(hostDir)).map(ProcessHandle::isAlive).orElse(false);
    }

    /** What a sandbox's supervisor made on the host (its workspace aside) is gone. */
    private static void assertNetworkGone(String id, String hostVeth) throws Exception {
        assertThat(namespaceExists(id)).as("network namespace").isFalse();
        assertThat(run("nft", "list", "tables")).as("nft table").doesNotContain("osh_" + id);
        assertThat(run("ip", "-o", "link")).as("veth").doesNotContain(hostVeth + "@");
        assertThat(Path.of("/run/openshell/sandboxes", id))
                .as("state directory")
                .doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/memory/openshell", id)).as("cgroup").doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/openshell", id)).as("cgroup v2").doesNotExist();
    }

    /** Upload and download of tar streams, confined like the agent. */
    private void filesTravelAsTarStreams(GatewayClient gw) throws Exception {
        Path local = data.resolve("files");
        Files.createDirectories(local.resolve("tree/sub"));
        Files.writeString(local.resolve("tree/hello.txt"), "hello from the host\n");
        Files.write(local.resolve("tree/sub/blob.bin"), new byte[300_000]);
        Path tar = local.resolve("up.tar");
        assertThat(new ProcessBuilder("tar", "-c", "-f", tar.toString(), "-C", local.toString(), "tree")
                        .start()
                        .waitFor())
                .isZero();
        try (var in = Files.newInputStream(tar)) {
            gw.sandboxes().upload("demo", "/sandbox/up", in);
        }
        assertThat(exec(
                                gw,
                                "cat /sandbox/up/tree/hello.txt; stat -c %s /sandbox/up/tree/sub/blob.bin; id -u; stat -c %u /sandbox/up/tree/hello.txt")
                        .stdout())
                .startsWith("hello from the host\n300000\n");

        Path down = local.resolve("down.tar");
        try (var out = Files.newOutputStream(down)) {
            gw.sandboxes().download("demo", "/sandbox/up/tree", out);
        }
        Path unpacked = Files.createDirectories(local.resolve("unpacked"));
        assertThat(new ProcessBuilder("tar", "-x", "-f", down.toString(), "-C", unpacked.toString())
                        .start()
                        .waitFor())
                .isZero();
        assertThat(Files.readString(unpacked.resolve("tree/hello.txt"))).isEqualTo("hello from the host\n");
        assertThat(Files.size(unpacked.resolve("tree/sub/blob.bin"))).isEqualTo(300_000);

        // Confined like the agent: the system is read-only to it, and a missing path is a problem.
        try (var in = Files.newInputStream(tar)) {
            assertThatThrownBy(() -> gw.sandboxes().upload("demo", "/usr/lib/up", in))
                    .isInstanceOfSatisfying(
                            ApiException.class,
                            e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.TRANSFER_FAILED));
        }
        assertThat(Path.of("/usr/lib/up")).doesNotExist();
        assertThatThrownBy(() ->
                        gw.sandboxes().download("demo", "/sandbox/no-such-file", new java.io.ByteArrayOutputStream()))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.TRANSFER_FAILED));
    }

    /** Streaming exec: stdin in, stdout and stderr out as they come, the exit code last. */
    private static void execStreams(GatewayClient gw) throws Exception {
        java.util.concurrent.LinkedBlockingQueue<SessionMessage> frames =
                new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket ws = gw.sandboxes().execStream("demo", new java.net.http.WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public java.util.concurrent.CompletionStage<?> onText(
                    java.net.http.WebSocket w, CharSequence text, boolean last) {
                partial.append(text);
                if (last) {
                    frames.add(ApiJson.lenient().readValue(partial.toString(), SessionMessage.class));
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }
        });
        send(
                ws,
                new SessionMessage.ExecStart(
                        "s1",
                        List.of("sh", "-c", "read line; echo got:$line; echo warn >&2; exit 7"),
                        false,
                        null,
                        null,
                        null));
        send(ws, SessionMessage.ExecInput.of("s1", "ping\n".getBytes(StandardCharsets.UTF_8), true));
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        SessionMessage.ExecExit exit = null;
        while (exit == null) {
            SessionMessage m = frames.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("a frame").isNotNull();
            switch (m) {
                case SessionMessage.ExecOutput o ->
                    (o.stream() == LogLine.Stream.STDERR ? err : out)
                            .append(new String(java.util.Base64.getDecoder().decode(o.data()), StandardCharsets.UTF_8));
                case SessionMessage.ExecExit x -> exit = x;
                default -> {}
            }
        }
        assertThat(out.toString()).isEqualTo("got:ping\n");
        assertThat(err.toString()).isEqualTo("warn\n");
        assertThat(exit.execId()).isEqualTo("s1");
        assertThat(exit.exitCode()).isEqualTo(7);

        // With a terminal: the program sees one, of the size asked, and a resize reaches it.
        frames.clear();
        java.net.http.WebSocket tty = gw.sandboxes().execStream("demo", listener(frames));
        send(
                tty,
                new SessionMessage.ExecStart(
                        "t1",
                        List.of("sh", "-c", "test -t 0 && echo is-a-tty; stty size; read x; stty size; exit 5"),
                        true,
                        100,
                        30,
                        null));
        StringBuilder screen = new StringBuilder();
        while (!screen.toString().contains("30 100")) {
            SessionMessage m = frames.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("terminal output so far: " + screen).isInstanceOf(SessionMessage.ExecOutput.class);
            screen.append(new String(
                    java.util.Base64.getDecoder().decode(((SessionMessage.ExecOutput) m).data()),
                    StandardCharsets.UTF_8));
        }
        send(tty, new SessionMessage.ExecResize("t1", 120, 40));
        send(tty, SessionMessage.ExecInput.of("t1", "go\n".getBytes(StandardCharsets.UTF_8), false));
        SessionMessage.ExecExit ttyExit = null;
        while (ttyExit == null) {
            SessionMessage m = frames.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("terminal output so far: " + screen).isNotNull();
            switch (m) {
                case SessionMessage.ExecOutput o ->
                    screen.append(new String(java.util.Base64.getDecoder().decode(o.data()), StandardCharsets.UTF_8));
                case SessionMessage.ExecExit x -> ttyExit = x;
                default -> {}
            }
        }
        assertThat(screen.toString()).contains("is-a-tty").contains("30 100").contains("40 120");
        assertThat(ttyExit.exitCode()).isEqualTo(5);
    }

    /**
     * Signals over a streaming exec reach a real process that traps them: without a terminal the
     * command itself (INT, HUP, QUIT, then TERM ends it; KILL ends one that traps nothing); with a
     * terminal the foreground job, not the shell leading the session, which sees the job end and
     * carries on (as after Ctrl-C in an attached terminal).
     */
    private static void execSignals(GatewayClient gw) throws Exception {
        java.util.concurrent.LinkedBlockingQueue<SessionMessage> frames =
                new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket piped = gw.sandboxes().execStream("demo", listener(frames));
        String traps = "for s in INT HUP QUIT; do trap \"echo got-$s\" $s; done;"
                + " trap 'echo got-TERM; exit 42' TERM; echo ready; while :; do sleep 0.1; done";
        send(piped, new SessionMessage.ExecStart("p1", List.of("sh", "-c", traps), false, null, null, null));
        StringBuilder out = new StringBuilder();
        awaitOutput(frames, out, "ready");
        for (String signal : List.of("INT", "HUP", "QUIT")) {
            send(piped, new SessionMessage.ExecSignal("p1", signal));
            awaitOutput(frames, out, "got-" + signal);
        }
        send(piped, new SessionMessage.ExecSignal("p1", "TERM"));
        assertThat(awaitExit(frames, out).exitCode()).as(out.toString()).isEqualTo(42);
        assertThat(out.toString()).contains("got-TERM");

        frames.clear();
        java.net.http.WebSocket killed = gw.sandboxes().execStream("demo", listener(frames));
        send(
                killed,
                new SessionMessage.ExecStart(
                        "p2", List.of("sh", "-c", "echo ready; sleep 100"), false, null, null, null));
        StringBuilder sleeping = new StringBuilder();
        awaitOutput(frames, sleeping, "ready");
        send(killed, new SessionMessage.ExecSignal("p2", "KILL"));
        assertThat(awaitExit(frames, sleeping).exitCode()).isEqualTo(128 + 9);

        // With a terminal: the job runs in its own process group (set -m), the terminal's foreground one.
        frames.clear();
        java.net.http.WebSocket tty = gw.sandboxes().execStream("demo", listener(frames));
        String job = "for s in INT HUP QUIT; do trap \"echo job-got-$s\" $s; done;"
                + " trap 'echo job-got-TERM; exit 4' TERM; echo ready; while :; do sleep 0.1; done";
        send(
                tty,
                new SessionMessage.ExecStart(
                        "t2",
                        List.of("sh", "-c", "set -m; sh -c '" + job.replace("'", "'\\''") + "'; echo leader-saw-$?"),
                        true,
                        80,
                        24,
                        null));
        StringBuilder screen = new StringBuilder();
        awaitOutput(frames, screen, "ready");
        for (String signal : List.of("INT", "HUP", "QUIT")) {
            send(tty, new SessionMessage.ExecSignal("t2", signal));
            awaitOutput(frames, screen, "job-got-" + signal);
        }
        send(tty, new SessionMessage.ExecSignal("t2", "TERM"));
        SessionMessage.ExecExit ttyExit = awaitExit(frames, screen);
        assertThat(screen.toString()).contains("job-got-TERM").contains("leader-saw-4");
        assertThat(ttyExit.exitCode()).as(screen.toString()).isZero();
    }

    private static void awaitOutput(
            java.util.concurrent.BlockingQueue<SessionMessage> frames, StringBuilder out, String expected)
            throws InterruptedException {
        while (!out.toString().contains(expected)) {
            SessionMessage m = frames.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("output so far: " + out).isInstanceOf(SessionMessage.ExecOutput.class);
            out.append(new String(
                    java.util.Base64.getDecoder().decode(((SessionMessage.ExecOutput) m).data()),
                    StandardCharsets.UTF_8));
        }
    }

    private static SessionMessage.ExecExit awaitExit(
            java.util.concurrent.BlockingQueue<SessionMessage> frames, StringBuilder out) throws InterruptedException {
        while (true) {
            SessionMessage m = frames.poll(20, TimeUnit.SECONDS);
            assertThat(m).as("output so far: " + out).isNotNull();
            switch (m) {
                case SessionMessage.ExecOutput o ->
                    out.append(new String(java.util.Base64.getDecoder().decode(o.data()), StandardCharsets.UTF_8));
                case SessionMessage.ExecExit x -> {
                    return x;
                }
                default -> {}
            }
        }
    }

    private static java.net.http.WebSocket.Listener listener(
            java.util.concurrent.BlockingQueue<SessionMessage> frames) {
        return new java.net.http.WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public java.util.concurrent.CompletionStage<?> onText(
                    java.net.http.WebSocket w, CharSequence text, boolean last) {
                partial.append(text);
                if (last) {
                    frames.add(ApiJson.lenient().readValue(partial.toString(), SessionMessage.class));
                    partial.setLength(0);
                }
                w.request(1);
                return null;
            }
        };
    }

    private static void send(java.net.http.WebSocket ws, SessionMessage m) throws Exception {
        ws.sendText(ApiJson.strict().writeValueAsString(m), true).get(10, TimeUnit.SECONDS);
    }

    /**
     * A standard OpenSSH client through the SSH tunnel endpoint: a local port relays each connection
     * to a tunnel WebSocket (what a ProxyCommand does over stdin/stdout), the sandbox's SSH server
     * authenticates the sandbox's key, and the command runs confined in the sandbox.
     */
    private void sshThroughTheTunnel(GatewayClient gw) throws Exception {
        Path key = data.resolve("user_key");
        assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                        .start()
                        .waitFor())
                .isZero();
        SshAccess access = gw.sandboxes().authorizeSshKey("demo", Files.readString(Path.of(key + ".pub")));
        assertThat(access.user()).isEqualTo("sandbox");
        try (TunnelPort port = TunnelPort.open(gw, "demo")) {
            Path knownHosts = data.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + port.port() + " " + access.hostKey() + "\n");
            Process ssh = new ProcessBuilder(
                            "ssh",
                            "-F",
                            "/dev/null",
                            "-i",
                            key.toString(),
                            "-o",
                            "IdentitiesOnly=yes",
                            "-o",
                            "StrictHostKeyChecking=yes",
                            "-o",
                            "UserKnownHostsFile=" + knownHosts,
                            "-o",
                            "BatchMode=yes",
                            "-o",
                            "LogLevel=ERROR",
                            "-p",
                            Integer.toString(port.port()),
                            access.user() + "@127.0.0.1",
                            "echo via-ssh; id -u; pwd")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ssh.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).startsWith("via-ssh\n").doesNotContain("\n0\n");
            assertThat(ssh.exitValue()).as(out).isZero();
        }
        // A key that is not one is refused before it reaches the sandbox.
        assertThatThrownBy(() -> gw.sandboxes().authorizeSshKey("demo", "-----BEGIN OPENSSH PRIVATE KEY-----"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED));
    }

    private static ExecResult exec(GatewayClient gw, String script) {
        return exec(gw, "demo", script);
    }

    private static ExecResult exec(GatewayClient gw, String sandbox, String script) {
        return gw.sandboxes()
                .exec(
                        sandbox,
                        new ExecRequest(List.of("sh", "-c", script), null, Duration.ofSeconds(30)),
                        RequestOptions.NONE);
    }

    private static void awaitPhase(GatewayClient gw, String name, SandboxPhase phase) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(gw.sandboxes().get(name).phase()).isEqualTo(phase));
    }

    /** After a gateway restart the session comes back on its own (backoff), then exec works. */
    private static void awaitExecWorks(GatewayClient gw) {
        // Until then exec answers 503 "not connected": an ApiException, which Awaitility would
        // otherwise pass straight through instead of waiting.
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(ApiException.class)
                .untilAsserted(() -> exec(gw, "true"));
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
