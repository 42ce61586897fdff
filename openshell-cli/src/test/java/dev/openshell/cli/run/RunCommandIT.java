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
