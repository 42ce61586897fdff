package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.SandboxMain;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.ssh.SandboxSshClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * DESIGN.md section 9, scenarios 1 to 5, against one long-running sandbox (the agent is an {@link
 * AgentShell}): a denied curl gets the 403 JSON; after a reload allowing {@code /usr/bin/curl} the
 * same agent's curl passes and python3 is still denied; a bypass fails fast and becomes a finding;
 * Landlock, seccomp and the user hold. Tests run in order because the reload changes the policy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SandboxHost
class SupervisorScenariosIT {

    private static SandboxUpstream upstream;
    private static Path outside;
    private static Path readOnlyOpen;
    private static SandboxSupervisor sandbox;
    private static AgentShell shell;
    private static long agentPid;

    @BeforeAll
    static void start() throws IOException {
        upstream = new SandboxUpstream(SandboxFixture.UPSTREAM_IP, "example.com");
        // World-writable on disk, so only Landlock stands between the agent and these files.
        outside = openDirectory("outside");
        readOnlyOpen = openDirectory("read-only");
        SandboxSpec spec = SandboxFixture.keptSpec(
                        SandboxFixture.systemPolicy(readOnlyOpen.toString()), AgentShell.COMMAND)
                .withExtraUpstreamCa(upstream.caPem());
        sandbox = SandboxSupervisor.start(
                spec, SandboxFixture.options(Map.of("example.com", SandboxFixture.UPSTREAM_IP)));
        shell = new AgentShell(sandbox.workdir());
        agentPid = sandbox.agentPid();
    }

    @AfterAll
    static void stop() throws IOException {
        if (sandbox != null) {
            sandbox.close();
            StaleSandboxes.deleteRecursively(sandbox.stateDir());
        }
        for (Path p : new Path[] {outside, readOnlyOpen}) {
            if (p != null) {
                StaleSandboxes.deleteRecursively(p);
            }
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static Path openDirectory(String name) throws IOException {
        // Not under /run: the agent sees the sandbox's own /run there, never the host's.
        Path dir = Files.createDirectories(Path.of("/var/lib/osh-it-" + name + "-" + UUID.randomUUID()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = Files.writeString(dir.resolve("file"), "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        return dir;
    }

    private static String url(String path) {
        return "https://example.com:" + upstream.port() + path;
    }

    private static String allowCurl(String... binaries) {
        StringBuilder list = new StringBuilder();
        for (String b : binaries) {
            list.append(list.isEmpty() ? "" : ", ").append("{path: ").append(b).append('}');
        }
        return SandboxFixture.systemPolicy(readOnlyOpen.toString()) + """
                network_policies:
                  example:
                    endpoints:
                      - {host: example.com, port: %d, protocol: rest, access: read-only, allowed_ips: [10.98.0.0/24]}
                    binaries: [%s]
                """.formatted(upstream.port(), list);
    }

    private static int cli(String... args) {
        CommandLine cli = SandboxMain.newCommandLine(false);
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));
        int code = cli.execute(args);
        System.out.println("openshell-sandbox " + String.join(" ", args) + " -> " + code + ": " + out);
        return code;
    }

    @Test
    @Order(1)
    void deniedCurlGetsThe403Json() throws Exception {
        assertThat(sandbox.status().phase()).isEqualTo(SandboxPhase.READY);

        AgentShell.Result https = shell.run("curl -sS -o /dev/null -w '%{http_connect}' " + url("/"));
        AgentShell.Result http = shell.run("curl -sS http://example.com:" + upstream.port() + "/");

        assertThat(https.exitCode()).as(https.output()).isNotZero();
        assertThat(https.output()).contains("403");
        assertThat(http.output()).contains("\"error\":\"policy_denied\"");
        assertThat(SandboxFixture.log(sandbox)).contains("denied: /usr/bin/curl -> example.com:" + upstream.port());
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    @Order(2)
    void reloadAllowsCurlWithoutRestartingTheAgentWhilePythonStaysDenied() throws Exception {
        Path policy = Files.writeString(sandbox.stateDir().resolve("allow-curl.yaml"), allowCurl("/usr/bin/curl"));

        assertThat(cli("reload", "--state", sandbox.stateDir().toString(), "--policy", policy.toString()))
                .isZero();

        AgentShell.Result curl = shell.run("curl -sS " + url("/allowed"));
        AgentShell.Result python =
                shell.run("python3 -c \"import urllib.request; urllib.request.urlopen('" + url("/py") + "')\"");
        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.output()).isEqualTo("GET /allowed body=0\n");
        assertThat(python.exitCode()).isNotZero();
        assertThat(python.output()).contains("403");
        assertThat(sandbox.agentPid()).isEqualTo(agentPid);
        assertThat(SandboxStatus.read(sandbox.stateDir()).orElseThrow().policyGeneration())
                .isEqualTo(2);
    }

    @Test
    @Order(3)
    void unmodifiedPythonUrllibWorksThroughTheProxyEnvironmentOnceAllowed() throws Exception {
        ReloadOutcome outcome =
                sandbox.reload(allowCurl("/usr/bin/curl", "/usr/bin/python3").getBytes(StandardCharsets.UTF_8), "test");
        assertThat(outcome.loaded()).as(outcome.error()).isTrue();

        AgentShell.Result python = shell.run("python3 -c \"import urllib.request; print(urllib.request.urlopen('"
                + url("/py") + "').read().decode())\"");

        assertThat(python.output()).as("exit " + python.exitCode()).isEqualTo("GET /py body=0\n\n");
    }

    @Test
    @Order(4)
    void staticChangeOnReloadIsRejectedNamingTheChange() throws Exception {
        Path policy = Files.writeString(
                sandbox.stateDir().resolve("static.yaml"),
                SandboxFixture.systemPolicy(readOnlyOpen.toString(), "/opt"));

        assertThat(cli("reload", "--state", sandbox.stateDir().toString(), "--policy", policy.toString()))
                .isEqualTo(1);
        ReloadOutcome outcome = sandbox.reload(Files.readAllBytes(policy), "test");
        assertThat(outcome.loaded()).isFalse();
        assertThat(outcome.error()).contains("static sections cannot change", "filesystem_policy.read_only", "/opt");
    }

    @Test
    @Order(5)
    void bypassFailsWithinThreeSecondsAndIsAFinding() throws Exception {
        AgentShell.Result r =
                shell.run("s=$(date +%s%N); curl --noproxy '*' -fsS -m 10 http://10.1.2.3/; rc=$?; e=$(date +%s%N);"
                        + " echo rc=$rc ms=$(( (e - s) / 1000000 ))");

        String last = r.output().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).doesNotContain("rc=0");
        assertThat(Long.parseLong(last.replaceAll(".*ms=", ""))).isLessThan(3000);
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(SandboxFixture.log(sandbox)).contains("finding: bypass attempt"));
    }

    @Test
    @Order(6)
    void landlockDeniesWritesOutsideReadWriteAndUnlistedPathsDoNotExist() throws Exception {
        String errno = "import sys\ntry:\n    %s\n    print('ok')\nexcept OSError as e:\n    print(e.errno)\n";
        AgentShell.Result write = python(errno.formatted("open('" + readOnlyOpen + "/new', 'w')"));
        AgentShell.Result read = python(errno.formatted("open('" + outside + "/file').read()"));
        AgentShell.Result readListed = python(errno.formatted("open('" + readOnlyOpen + "/file').read()"));
        AgentShell.Result workdir = shell.run("echo hi > inside && cat inside");

        assertThat(write.output().strip()).isEqualTo("13");
        // not in the agent's root at all (ENOENT), not merely unreadable
        assertThat(read.output().strip()).isEqualTo("2");
        assertThat(readListed.output().strip()).isEqualTo("ok");
        assertThat(workdir.output()).isEqualTo("hi\n");
    }

    @Test
    @Order(7)
    void agentIsNotRootHasNoCapabilitiesAndSeccompHolds() throws Exception {
        AgentShell.Result id = shell.run("id -u; grep CapBnd /proc/self/status");
        String errno =
                "import socket, ctypes\ntry:\n    socket.socket(socket.AF_PACKET, socket.SOCK_RAW)\n    print('ok')\n"
                        + "except OSError as e:\n    print(e.errno)\n"
                        + "libc = ctypes.CDLL(None, use_errno=True)\n"
                        + "print(libc.mount(b'none', b'/tmp', b'tmpfs', 0, None), ctypes.get_errno())\n";
        AgentShell.Result seccomp = python(errno);

        assertThat(id.output().lines().toList()).first().isNotEqualTo("0");
        assertThat(id.output()).contains("CapBnd:\t0000000000000000");
        assertThat(seccomp.output().lines().toList()).containsExactly("1", "-1 1");
    }

    @Test
    @Order(8)
    void theTrustAndProxyVariablesAreExported() throws Exception {
        AgentShell.Result env = shell.run("env | sort");

        assertThat(env.output())
                .contains(
                        "HTTPS_PROXY=http://10.200.",
                        "https_proxy=http://10.200.",
                        "ALL_PROXY=",
                        "grpc_proxy=",
                        "GRPC_PROXY=",
                        "NO_PROXY=localhost,127.0.0.1,::1",
                        "NODE_USE_ENV_PROXY=1",
                        "SSL_CERT_FILE=/run/openshell/tls/bundle.pem",
                        "REQUESTS_CA_BUNDLE=",
                        "CURL_CA_BUNDLE=",
                        "GIT_SSL_CAINFO=",
                        "PIP_CERT=",
                        "NODE_EXTRA_CA_CERTS=/run/openshell/tls/ca.pem");
    }

    @Test
    @Order(9)
    void sshSessionsArePolicedLikeTheAgentAndPassTheExitCode() throws Exception {
        try (SandboxSshClient client =
                SandboxSshClient.connect(sandbox.sshEndpoint().orElseThrow())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int curl = client.execShell("curl -sS " + url("/ssh"), InputStream.nullInputStream(), out, err);
            int exit = client.execShell("exit 7", InputStream.nullInputStream(), out, err);

            assertThat(curl).as(err.toString()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("GET /ssh body=0\n");
            assertThat(exit).isEqualTo(7);
        }
    }

    private static AgentShell.Result python(String program) throws Exception {
        Path file = sandbox.workdir().resolve("p" + UUID.randomUUID() + ".py");
        Files.writeString(file, program);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return shell.run("python3 " + file);
    }

    @Test
    @Order(20)
    void exitCodeAndReasonAreRecorded() throws IOException {
        SandboxSpec spec = SandboxFixture.keptSpec(SandboxFixture.systemPolicy(), List.of("sh", "-c", "exit 7"));
        SandboxSupervisor exiting = SandboxSupervisor.start(spec, SandboxFixture.options(Map.of()));

        assertThat(exiting.awaitExit()).isEqualTo(7);
        SandboxStatus status = SandboxStatus.read(spec.stateDir()).orElseThrow();
        assertThat(status.phase()).isEqualTo(SandboxPhase.STOPPED);
        assertThat(status.exitCode()).isEqualTo(7);
        assertThat(status.exitReason()).isEqualTo("exited");
        assertThat(spec.stateDir().resolve("tls")).doesNotExist();
        assertThat(spec.stateDir().resolve("work")).doesNotExist();
        assertThat(spec.stateDir().resolve(ControlSocket.FILE)).doesNotExist();
        StaleSandboxes.deleteRecursively(spec.stateDir());
    }

    @Test
    @Order(21)
    void hardRequirementWithAMissingPathFailsTheStartAndLeavesNothing() {
        String missing = "/nonexistent-" + UUID.randomUUID();
        SandboxSpec spec = SandboxSpec.of(null, List.of("true"))
                .withPolicyYaml(SandboxFixture.systemPolicy(missing)
                        .replace("best_effort", "hard_requirement")
                        .replace(", /lib64", ""));

        assertThatThrownBy(() -> SandboxSupervisor.start(spec, SandboxFixture.options(Map.of())))
                .isInstanceOfSatisfying(
                        SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LANDLOCK_PATH_MISSING))
                .hasMessageContaining(missing)
                .hasMessageContaining("hard_requirement");
        assertThat(spec.stateDir()).doesNotExist();
        assertThat(SandboxFixture.run(List.of("ip", "netns", "list"))).doesNotContain("osh-" + spec.id());
    }
}
