package dev.openshell.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.cli.run.ShellScript.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@code kill -9} of {@code openshell run} leaves (root, real sandboxes): the command ends
 * with it at once; the network, cgroup, uid and state stay until {@code openshell cleanup} or the
 * next run removes them, and either says what it removed.
 */
class RunCleanupIT {

    private static final Path NETNS = Path.of("/var/run/netns");

    @TempDir
    static Path cache;

    @TempDir
    Path tmp;

    private ShellScript shell;

    @BeforeEach
    void checkout() throws Exception {
        shell = ShellScript.asRoot(cache, tmp);
    }

    /** A run of {@code sleep 300} killed with SIGKILL once its sandbox is up; returns the sandbox id. */
    private String killedRun() throws Exception {
        Set<String> before = sandboxNamespaces();
        ProcessBuilder pb = new ProcessBuilder(shell.openshell().toString(), "run", "--", "sleep", "300")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OPENSHELL_AOT", "0"); // the script execs java: its pid is the supervisor's
        Process run = pb.start();
        long sleeper = awaitSleeper(run);
        String id = namespaceOf(sleeper, before).substring("osh-".length());

        run.destroyForcibly();
        run.waitFor();

        await("the command gone after its supervisor was killed")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() ->
                        !ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false));
        return id;
    }

    /** The sandbox namespace (not in {@code before}) that {@code pid} runs in. */
    private static String namespaceOf(long pid, Set<String> before) throws IOException {
        String link =
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        for (String name : sandboxNamespaces()) {
            if (!before.contains(name)
                    && link.equals("net:[" + Files.getAttribute(NETNS.resolve(name), "unix:ino") + "]")) {
                return name;
            }
        }
        throw new AssertionError("no sandbox namespace is " + link);
    }

    private static long awaitSleeper(Process run) {
        try {
            return await("the sandboxed sleep started")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(
                            () -> run.descendants()
                                    .filter(p -> p.info()
                                            .command()
                                            .map(c -> c.endsWith("/sleep"))
                                            .orElse(false))
                                    .findFirst(),
                            java.util.Optional::isPresent)
                    .orElseThrow()
                    .pid();
        } catch (RuntimeException e) {
            run.destroyForcibly();
            throw e;
        }
    }

    private static Set<String> sandboxNamespaces() throws IOException {
        if (!Files.isDirectory(NETNS)) {
            return Set.of();
        }
        try (Stream<Path> names = Files.list(NETNS)) {
            return names.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("osh-sb-"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void cleanupRemovesWhatAKilledRunLeftAndSaysSo() throws Exception {
        String id = killedRun();
        boolean stillThere = Files.exists(NETNS.resolve("osh-" + id));

        Outcome cleanup = shell.run("\"$OPENSHELL\" cleanup");

        assertThat(cleanup.exitCode()).as(cleanup.toString()).isZero();
        if (stillThere) {
            assertThat(cleanup.out()).as(cleanup.toString()).contains("removed sandbox " + id);
        }
        assertThat(NETNS.resolve("osh-" + id)).doesNotExist();
        assertThat(Path.of("/run/openshell/sandboxes", id)).doesNotExist();
    }

    @Test
    void theNextRunReclaimsWhatAKilledRunLeftAndSaysSoInOneLine() throws Exception {
        String id = killedRun();
        boolean stillThere = Files.exists(NETNS.resolve("osh-" + id));

        Outcome next = shell.run("\"$OPENSHELL\" run -- true");

        assertThat(next.exitCode()).as(next.toString()).isZero();
        if (stillThere) {
            assertThat(next.err()
                            .lines()
                            .filter(l -> l.startsWith("openshell: reclaimed "))
                            .toList())
                    .as(next.toString())
                    .singleElement()
                    .asString()
                    .contains(id);
        }
        assertThat(NETNS.resolve("osh-" + id)).doesNotExist();
    }
}
