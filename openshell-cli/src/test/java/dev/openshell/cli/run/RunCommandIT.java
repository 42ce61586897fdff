package dev.openshell.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/openshell run} as a user runs it (root, real sandbox): output streamed, the exit code
 * passed through, the default policy denying the network, and nothing left behind.
 */
class RunCommandIT {

    private static Path repo;

    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findCheckout() throws IOException {
        Path module =
                Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        repo = module.getParent();
        assertThat(repo.resolve("openshell-cli/target/openshell.jar")).isRegularFile();
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        if (!root) {
            System.out.println("SKIPPED: openshell run ITs need root");
        }
        assumeTrue(root, "openshell run ITs need root");
    }

    record Run(int exitCode, String out, String err) {}

    private Run openshell(List<String> prefix, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(repo.resolve("bin/openshell").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openshell " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Run openshell(String... args) throws IOException, InterruptedException {
        return openshell(List.of(), args);
    }

    private static Set<String> sandboxNamespaces() throws IOException {
        Path netns = Path.of("/var/run/netns");
        if (!Files.isDirectory(netns)) {
            return Set.of();
        }
        try (Stream<Path> names = Files.list(netns)) {
            return names.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("osh-sb-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void streamsOutputPassesTheExitCodeDeniesTheNetworkAndLeavesNothing() throws Exception {
        Set<String> before = sandboxNamespaces();

        Run r = openshell(
                "run", "--", "sh", "-c", "echo out; echo err >&2; id -u; curl -sS -m 5 https://example.com; exit 3");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).startsWith("out\n").doesNotContain("\n0\n");
        assertThat(r.err())
                .contains("err\n", "openshell: denied: /usr/bin/curl -> example.com:443")
                .doesNotContain("SLF4J");
        assertThat(sandboxNamespaces()).isSubsetOf(before);
    }

    @Test
    void theCommandIsPidTwoUnderTheSandboxInitAndASignalExitIs128PlusN() throws Exception {
        Run r = openshell(
                "run",
                "--",
                "sh",
                "-c",
                "echo $$; cut -d' ' -f2 /proc/1/stat; echo $SSL_CERT_FILE; ulimit -H -c; kill -TERM $$");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(143);
        assertThat(r.out()).isEqualTo("2\n(openshell-init)\n/run/openshell/tls/bundle.pem\n0\n");
    }

    @Test
    void aTerminalKeepsCtrlCAndTheExitCode() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "needs python3 to drive a pseudo-terminal");
        String driver = """
                import os, pty, select, sys, time
                pid, fd = pty.fork()
                if pid == 0:
                    os.environ["PS1"] = "$ "
                    os.execvp(sys.argv[1], sys.argv[1:])
                seen = b""
                def wait_for(text, timeout):
                    global seen
                    end = time.time() + timeout
                    while time.time() < end:
                        if text.encode() in seen:
                            seen = seen[seen.index(text.encode()) + len(text):]
                            return True
                        r, _, _ = select.select([fd], [], [], 0.1)
                        if r:
                            try:
                                seen += os.read(fd, 4096)
                            except OSError:
                                break
                    return False
                wait_for("$ ", 60)
                os.write(fd, b"sleep 30\\n"); time.sleep(1); os.write(fd, b"\\x03")
                os.write(fd, b"echo interrupted-$((40+2))\\n")
                print("ctrl-c:", "interrupted" if wait_for("interrupted-42", 10) else "no")
                os.write(fd, b"exit 3\\n")
                _, status = os.waitpid(pid, 0)
                print("exit:", os.waitstatus_to_exitcode(status))
                """;

        Run r = openshell(List.of(python.toString(), "-c", driver), "run", "--tty", "--", "bash", "--norc", "-i");

        assertThat(r.out()).as(r.toString()).isEqualTo("ctrl-c: interrupted\nexit: 3\n");
    }

    @Test
    void workdirIsTheCommandsWritableDirectory() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        UserPrincipalLookupService users = work.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(work, users.lookupPrincipalByName("sandbox"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run r = openshell(
                "run",
                "--workdir",
                work.toString(),
                "--env",
                "GREETING=hi",
                "--",
                "sh",
                "-c",
                "echo $GREETING > greeting; pwd");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(work + "\n");
        assertThat(work.resolve("greeting")).hasContent("hi");
    }

    @Test
    void anInvalidPolicyIsOneLineAndExitCode2() throws Exception {
        Path policy = Files.writeString(tmp.resolve("bad.yaml"), "version: 1\nnetwork_policie: {}\n");

        Run r = openshell("run", "--policy", policy.toString(), "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err()).startsWith("error: ");
    }

    @Test
    void withoutRootItSaysSoInOneLine() throws Exception {
        Path runuser = Path.of("/usr/sbin/runuser");
        assumeTrue(Files.isExecutable(runuser), "needs runuser to drop root");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

        Run r = openshell(List.of(runuser.toString(), "-u", "nobody", "--"), "run", "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(RunCommand.SANDBOX_FAILED);
        assertThat(r.err()).startsWith("error: ").contains("root");
        assertThat(r.err().lines().toList()).hasSize(2);
    }
}
