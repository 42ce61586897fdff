package dev.openshell.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.openshell.api.ErrorCode;
import dev.openshell.testkit.RequiresLandlock;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH server against a real sandbox: launcher, Landlock, seccomp, network namespace. */
@RequiresRoot
@RequiresLandlock
@RequiresTool("ip")
class SandboxSshServerIT {

    private static SshSandboxFixture sandbox;
    private static SandboxSshClient client;

    @TempDir
    Path local;

    @BeforeAll
    static void startSandbox() throws IOException {
        sandbox = SshSandboxFixture.start(Map.of("HTTP_PROXY", "http://10.200.0.1:3128"));
        client = SandboxSshClient.connect(sandbox.server.endpoint());
    }

    @AfterAll
    static void stopSandbox() {
        if (client != null) {
            client.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static Result exec(String commandLine) {
        return exec(commandLine, null);
    }

    private static Result exec(String commandLine, InputStream stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = client.execShell(commandLine, stdin, out, err);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Result(int code, String out, String err) {}

    @Test
    void exitCodePassesThrough() {
        assertThat(client.exec(
                        List.of("sh", "-c", "exit 7"),
                        null,
                        OutputStream.nullOutputStream(),
                        OutputStream.nullOutputStream()))
                .isEqualTo(7);
        assertThat(exec("true").code()).isZero();
    }

    @Test
    void stdoutAndStderrStaySeparate() {
        Result result = exec("echo to-out; echo to-err >&2; echo more-out");

        assertThat(result.out()).isEqualTo("to-out\nmore-out\n");
        assertThat(result.err()).isEqualTo("to-err\n");
    }

    @Test
    void stdinIsPipedUntilEof() {
        byte[] data = new byte[1024 * 1024];
        new Random(42).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = client.exec(List.of("cat"), new ByteArrayInputStream(data), out, OutputStream.nullOutputStream());

        assertThat(code).isZero();
        assertThat(out.toByteArray()).isEqualTo(data);
    }

    @Test
    void runsAsTheSandboxUserInTheWorkdirWithTheSandboxEnvironment() {
        Result result = exec("id -u; id -un; pwd; echo \"$HTTP_PROXY\"; grep CapBnd /proc/self/status");

        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).isNotEqualTo("0");
        assertThat(lines.get(1)).isEqualTo("sandbox");
        assertThat(lines.get(2)).isEqualTo(sandbox.workdir.toString());
        assertThat(lines.get(3)).isEqualTo("http://10.200.0.1:3128");
        assertThat(lines.get(4)).endsWith("0000000000000000");
    }

    @Test
    void sessionsShareTheSandboxsTmpAndProcesses() throws IOException {
        Result write = exec("echo from-one-session > /tmp/shared-between-sessions");
        Result read = exec("cat /tmp/shared-between-sessions; tr '\\0' ' ' < /proc/2/cmdline; echo;"
                + " readlink /proc/self/ns/pid; test $$ -gt 2 && echo not-init-nor-agent");

        assertThat(write.code()).as(write.err()).isZero();
        assertThat(read.out().lines())
                .containsExactly(
                        "from-one-session",
                        "sleep 100000 ",
                        Files.readSymbolicLink(Path.of("/proc/" + sandbox.init.initPid() + "/ns/pid"))
                                .toString(),
                        "not-init-nor-agent");
    }

    @Test
    void sessionsEndWithTheSandbox() throws Exception {
        String marker = "1000." + (100_000 + ThreadLocalRandom.current().nextInt(900_000));
        try (SshSandboxFixture other = SshSandboxFixture.start(Map.of());
                SandboxSshClient session = SandboxSshClient.connect(other.server.endpoint())) {
            CompletableFuture<Integer> running = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    running.complete(session.execShell(
                            "sleep " + marker, null, OutputStream.nullOutputStream(), OutputStream.nullOutputStream()));
                } catch (RuntimeException e) {
                    running.completeExceptionally(e);
                }
            });
            awaitProcesses(marker, true);

            other.agent.destroy(); // the agent ends: its init exits and the kernel ends the namespace

            awaitProcesses(marker, false);
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo(128 + 9);
        }
    }

    @Test
    void landlockConfinesWrites() {
        Result outside = exec("echo x > /etc/osh-ssh-test");
        Result inside = exec("echo x > inside && cat inside");

        assertThat(outside.code()).isNotZero();
        assertThat(outside.err()).contains("Permission denied");
        assertThat(Path.of("/etc/osh-ssh-test")).doesNotExist();
        assertThat(inside.code()).isZero();
        assertThat(inside.out()).isEqualTo("x\n");
    }

    @Test
    void shellGetsARealTerminalOfTheRequestedSize() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream typed = new ByteArrayInputStream(
                "tty; stty size; echo \"term=$TERM\"; id -u; exit 3\n".getBytes(StandardCharsets.UTF_8));

        int code = client.shell("xterm-256color", 132, 43, typed, out);

        String screen = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(screen).isEqualTo(3);
        assertThat(screen).containsPattern("/dev/pts/\\d+").contains("43 132").contains("term=xterm-256color");
        assertThat(screen).doesNotContain("not a tty");
    }

    @Test
    void windowChangeResizesTheTerminal() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChannelShell shell = client.session().createShellChannel()) {
            shell.setPtyType("vt100");
            shell.setPtyColumns(80);
            shell.setPtyLines(24);
            shell.setOut(out);
            shell.setErr(out);
            shell.open().verify(Duration.ofSeconds(10));
            OutputStream keyboard = shell.getInvertedIn();
            shell.sendWindowChange(100, 50);
            keyboard.write("stty size; exit\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            shell.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
            assertThat(shell.getExitStatus()).isZero();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("50 100");
    }

    @Test
    void execWithATerminalRequest() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ChannelExec exec = client.session().createExecChannel("tty; test -t 0 && echo interactive")) {
            exec.setUsePty(true);
            exec.setOut(out);
            exec.setErr(out);
            exec.open().verify(Duration.ofSeconds(10));
            exec.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(20));
            assertThat(exec.getExitStatus()).isZero();
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .containsPattern("/dev/pts/\\d+")
                .contains("interactive");
    }

    @Test
    void closingTheConnectionKillsItsProcesses() throws Exception {
        // A unique duration doubles as the marker: `sleep 1000 MARKER` would exit at once.
        String marker = "1000." + (100_000 + ThreadLocalRandom.current().nextInt(900_000));
        SandboxSshClient doomed = SandboxSshClient.connect(sandbox.server.endpoint());
        CompletableFuture<Integer> running = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                running.complete(doomed.execShell(
                        "exec sleep " + marker,
                        null,
                        OutputStream.nullOutputStream(),
                        OutputStream.nullOutputStream()));
            } catch (RuntimeException e) {
                running.completeExceptionally(e);
            }
        });
        try {
            awaitProcesses(marker, true);
        } finally {
            doomed.close();
        }
        awaitProcesses(marker, false);
        // the client sees the command end without an exit status: the connection went away under it
        assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SshException.class)
                .hasMessageContaining("without an exit status");
    }

    private static void awaitProcesses(String marker, boolean present) {
        await("process " + marker + (present ? " started" : " gone after the disconnect"))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> ProcessHandle.allProcesses()
                                .anyMatch(p -> p.info()
                                        .arguments()
                                        .map(a -> List.of(a).contains(marker))
                                        .orElse(false)),
                        found -> found == present);
    }

    @Test
    void uploadAndDownloadAreByteIdentical() throws Exception {
        Path original = local.resolve("random.bin");
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream file = Files.newOutputStream(original)) {
            for (int i = 0; i < 50; i++) {
                ThreadLocalRandom.current().nextBytes(chunk);
                file.write(chunk);
            }
        }

        client.upload(original, sandbox.workdir.toString());
        Path back = local.resolve("back.bin");
        client.download(sandbox.workdir.resolve("random.bin").toString(), back);

        assertThat(sha256(back)).isEqualTo(sha256(original));
        assertThat(Files.getOwner(sandbox.workdir.resolve("random.bin")).getName())
                .isEqualTo("sandbox");
    }

    @Test
    void directoriesTravelAsTar() throws IOException {
        Path tree = Files.createDirectories(local.resolve("tree/sub"));
        Files.writeString(tree.resolve("leaf.txt"), "leaf\n");
        Files.writeString(local.resolve("tree/top.txt"), "top\n");

        client.upload(local.resolve("tree"), sandbox.workdir.toString());
        assertThat(exec("cat tree/top.txt tree/sub/leaf.txt").out()).isEqualTo("top\nleaf\n");

        Path into = Files.createDirectories(local.resolve("into"));
        client.download(sandbox.workdir.resolve("tree").toString(), into);
        assertThat(into.resolve("tree/sub/leaf.txt")).hasContent("leaf");
    }

    @Test
    void uploadOutsideTheSandboxViewFails() throws IOException {
        Path file = Files.writeString(local.resolve("x"), "x");

        assertThatThrownBy(() -> client.upload(file, "/etc/osh-ssh-upload"))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("Permission denied");
        assertThat(Path.of("/etc/osh-ssh-upload")).doesNotExist();
        assertThatThrownBy(() -> client.download("/root/.bashrc", local.resolve("y")))
                .isInstanceOf(SshException.class);
    }

    @Test
    void forwardReachesAServerInsideTheSandbox() throws Exception {
        Files.writeString(sandbox.workdir.resolve("hello.txt"), "hello from the sandbox\n");
        int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        Process http = new ProcessBuilder(sandbox.spec.command(List.of(
                        "/usr/bin/python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (SandboxSshClient.PortForward forward = client.forward(0, port)) {
            HttpClient http1 = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + forward.localPort() + "/hello.txt"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            // The server in the sandbox takes a moment to listen: connection refusals until then.
            HttpResponse<String> response = await("the sandbox's HTTP server through the forward")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(
                            () -> {
                                if (!http.isAlive()) {
                                    throw new IllegalStateException("the sandbox's HTTP server exited");
                                }
                                return http1.send(request, HttpResponse.BodyHandlers.ofString());
                            },
                            java.util.Objects::nonNull);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from the sandbox\n");
        } finally {
            http.destroyForcibly().waitFor();
        }
    }

    @Test
    void forwardsLeaveNeitherTheSandboxNorReachTheHostLoopback() throws IOException {
        try (ServerSocket hostOnly = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // Same address and port as a host service, but connected inside the sandbox: nothing there.
            assertThat(openDirect("127.0.0.1", hostOnly.getLocalPort()))
                    .isEqualTo(SshConstants.SSH_OPEN_CONNECT_FAILED);
        }
        assertThat(openDirect("10.11.12.13", 80)).isEqualTo(SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED);
        assertThat(openDirect("1.1.1.1", 443)).isEqualTo(SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED);
        assertThat(openDirect("example.com", 80)).isEqualTo(SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED);
        assertThat(openDirect("::1", 9)).isEqualTo(SshConstants.SSH_OPEN_CONNECT_FAILED);
    }

    @Test
    void remoteForwardingIsRefused() {
        assertThatThrownBy(() -> client.session()
                        .startRemotePortForwarding(
                                new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", 22)))
                .isInstanceOf(IOException.class);
    }

    /** Opens a direct-tcpip channel: 0 when it opened, else the server's reason code. */
    private static int openDirect(String host, int port) {
        try (ChannelDirectTcpip channel = client.session()
                .createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 1), new SshdSocketAddress(host, port))) {
            channel.open().verify(Duration.ofSeconds(10));
            return 0;
        } catch (IOException e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof SshChannelOpenException)) {
                cause = cause.getCause();
            }
            if (cause == null) {
                throw new AssertionError("no channel open failure", e);
            }
            return ((SshChannelOpenException) cause).getReasonCode();
        }
    }

    @Test
    void aForeignKeyIsRejected() throws Exception {
        KeyPair stranger = KeyUtils.generateKeyPair(SshKeys.KEY_TYPE, 256);

        assertThatThrownBy(() -> SandboxSshClient.connect(sandbox.server.endpoint(), stranger))
                .isInstanceOf(SshException.class)
                .extracting(e -> ((SshException) e).code())
                .isEqualTo(ErrorCode.SSH_AUTH_FAILED);
    }

    @Test
    void keyFilesAreOwnerOnlyAndTheEndpointIsRecorded() throws IOException {
        SshEndpoint endpoint = sandbox.server.endpoint();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.clientKeyFile())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(endpoint.directory())))
                .isEqualTo("rwx------");
        assertThat(SshEndpoint.read(endpoint.directory())).isEqualTo(endpoint);
        assertThat(endpoint.host()).isEqualTo("127.0.0.1");
    }

    @Test
    void theServerIsNotReachableFromInsideTheSandbox() {
        int port = sandbox.server.endpoint().port();
        Result result = exec("exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo connected || echo refused");
        // /dev/tcp is a bash feature; sh -c may be dash, so ask bash explicitly when present.
        Result viaBash =
                exec("bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + port + " && echo connected' 2>&1 || echo refused");

        assertThat(result.out() + viaBash.out()).doesNotContain("connected");
    }

    /**
     * Many execs in a row, over the open connection and over a new connection each, all run. (How long one takes is measured by {@code SupervisorBenchmark}, see
     * docs/benchmarks.md, not here.)
     */
    @Test
    void manyExecsOverOneConnectionAndOverNewOnesAllRun() {
        for (int i = 0; i < 20; i++) {
            assertThat(exec("echo " + i)).isEqualTo(new Result(0, i + "\n", ""));
        }
        for (int i = 0; i < 5; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SandboxSshClient another = SandboxSshClient.connect(sandbox.server.endpoint())) {
                assertThat(another.execShell("echo " + i, null, out, OutputStream.nullOutputStream()))
                        .isZero();
            }
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(i + "\n");
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
