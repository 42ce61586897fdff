package dev.openshell.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.testkit.RequiresLandlock;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresSeccomp;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
@RequiresRoot
@RequiresLandlock
@RequiresSeccomp
@RequiresTool({"ip", "nft"})
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
    }

    record Run(int exitCode, String out, String err) {}

    private Run openshell(List<String> prefix, String... args) throws IOException, InterruptedException {
        return openshell(prefix, tmp, args);
    }

    private Run openshell(List<String> prefix, Path directory, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(repo.resolve("bin/openshell").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile());
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
    @RequiresTool("/usr/bin/python3")
    void aTerminalKeepsCtrlCAndTheExitCode() throws Exception {
        Path python = Path.of("/usr/bin/python3");
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
    void workdirIsWritableAndWhatTheCommandMakesBelongsToItsOwner() throws Exception {
        // A user's directory below a closed parent (tmp is 0700, like a home): nothing is chown-ed.
        Path work = Files.createDirectory(tmp.resolve("work"));
        Files.setAttribute(work, "unix:uid", 4242);
        Files.setAttribute(work, "unix:gid", 4343);

        Run r = openshell(
                List.of(),
                work,
                "run",
                "--workdir",
                ".",
                "--env",
                "GREETING=hi",
                "--",
                "sh",
                "-c",
                "set -e; echo $GREETING > greeting; mkdir sub; pwd; id -u");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith(work + "\n");
        assertThat(r.out().lines().toList().get(1)).isNotIn("0", "4242");
        assertThat(work.resolve("greeting")).hasContent("hi");
        for (Path made : List.of(work.resolve("greeting"), work.resolve("sub"))) {
            assertThat(Files.getAttribute(made, "unix:uid")).isEqualTo(4242);
            assertThat(Files.getAttribute(made, "unix:gid")).isEqualTo(4343);
        }
        assertThat(Files.getAttribute(work, "unix:uid")).isEqualTo(4242);
        assertThat(Files.getAttribute(tmp, "unix:uid")).isEqualTo(0);
    }

    @Test
    void anUnusableWorkdirIsOneLineAndExitCode2AndTheCommandNeverRuns() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Path rootOwned = Files.createDirectory(tmp.resolve("root-owned"));
        Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
        Files.setAttribute(readOnly, "unix:uid", 4242);
        Files.setAttribute(readOnly, "unix:gid", 4343);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Map<Path, String> cases = Map.of(
                tmp.resolve("missing"),
                "does not exist",
                file,
                "is not a directory",
                rootOwned,
                "is owned by root",
                readOnly,
                "is not writable by its owner");

        for (Map.Entry<Path, String> c : cases.entrySet()) {
            Run r = openshell("run", "--workdir", c.getKey().toString(), "--", "echo", "ran");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("error: workdir " + c.getKey() + " " + c.getValue());
            assertThat(r.err().lines().toList()).hasSize(2);
        }
    }

    @Test
    void aLimitEndsTheSandboxAndStderrSaysWhichInOneLine() throws Exception {
        Set<String> before = sandboxNamespaces();

        Run bomb = openshell("run", "--pids", "32", "--", "sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 300");
        Run hog = openshell("run", "--memory", "48m", "--", "python3", "-c", "hog = b'x' * (1 << 30)");

        assertThat(bomb.exitCode()).as(bomb.toString()).isIn(137, 143);
        assertThat(bomb.err().lines().filter(l -> l.startsWith("openshell: ")).toList())
                .containsExactly("openshell: process limit of 32 reached: " + forks(bomb.err()));
        assertThat(hog.exitCode()).as(hog.toString()).isIn(137, 143);
        assertThat(hog.err().lines().filter(l -> l.startsWith("openshell: ")).toList())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("openshell: memory limit of 48 MiB reached: out-of-memory kill inside the sandbox");
        assertThat(sandboxNamespaces()).isSubsetOf(before);
    }

    private static String forks(String err) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("reached: (\\d+ forks? refused)")
                .matcher(err);
        return m.find() ? m.group(1) : "(none)";
    }

    @Test
    void anInvalidPolicyIsItsErrorAndASummaryAndExitCode2() throws Exception {
        Path policy = Files.writeString(tmp.resolve("bad.yaml"), "version: 1\nnetwork_policie: {}\n");

        Run r = openshell("run", "--policy", policy.toString(), "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err())
                .startsWith(policy + ":2:")
                .contains("error: " + policy + " is not a valid policy (1 error)");
    }

    @Test
    void aCommandsOwnExitCode125IsNotTakenForASetupFailure() throws Exception {
        Run r = openshell("run", "--", "sh", "-c", "echo ran; exit 125");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(125);
        assertThat(r.out()).isEqualTo("ran\n");
        assertThat(r.err()).as(r.toString()).isEmpty();
    }

    @Test
    void aMissingCommandIs127AndOneLine() throws Exception {
        Run r = openshell("run", "--", "no-such-command-anywhere");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(127);
        assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1);
        assertThat(r.err()).contains("no-such-command-anywhere");
    }

    @Test
    @RequiresTool("/usr/sbin/runuser")
    void withoutRootItSaysSoInOneLine() throws Exception {
        Path runuser = Path.of("/usr/sbin/runuser");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

        Run r = openshell(List.of(runuser.toString(), "-u", "nobody", "--"), "run", "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(RunCommand.SANDBOX_FAILED);
        assertThat(r.err()).startsWith("error: ").contains("root");
        assertThat(r.err().lines().toList()).hasSize(2);
    }
}
