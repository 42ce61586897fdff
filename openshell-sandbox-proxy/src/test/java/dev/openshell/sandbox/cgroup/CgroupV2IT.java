package dev.openshell.sandbox.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.sandbox.launch.LaunchSpec;
import dev.openshell.sandbox.launch.LauncherBinary;
import dev.openshell.testkit.Require;
import dev.openshell.testkit.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The v2 group's lifecycle on the host's real unified hierarchy, whatever controllers it offers
 * (on this cgroup v1 machine: none of the limits, so {@link CgroupV2Test} covers those): the
 * launcher joins it, {@code cgroup.kill} ends every process at once, and remove leaves nothing.
 */
@RequiresRoot
class CgroupV2IT {

    private Path root;
    private Process program;

    @BeforeEach
    void findUnified() throws Exception {
        Path unified = CgroupMounts.read().unified().orElse(null);
        Require.that(unified != null, "no cgroup v2 hierarchy mounted");
        Require.that(hasKill(unified), "cgroup v2 without cgroup.kill (Linux < 5.14)");
        root = Files.createDirectory(
                unified.resolve("openshell-it-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    private static boolean hasKill(Path unified) throws Exception {
        Path probe = Files.createDirectory(unified.resolve("openshell-it-probe-" + UUID.randomUUID()));
        try {
            return Files.exists(probe.resolve("cgroup.kill"));
        } finally {
            Files.delete(probe);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (program != null) {
            program.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (root != null) {
            Files.deleteIfExists(root.resolve(CgroupHierarchy.PARENT).resolve("sb-v2"));
            Files.deleteIfExists(root.resolve(CgroupHierarchy.PARENT));
            Files.deleteIfExists(root);
        }
    }

    @Test
    void theLauncherJoinsAndCgroupKillEndsEverythingAtOnce() throws Exception {
        CgroupV2 v2 = new CgroupV2(root, false);
        Files.createDirectories(root.resolve(CgroupHierarchy.PARENT).resolve("sb-v2"));
        SandboxCgroup group = v2.existing("sb-v2");
        LaunchSpec spec = new LaunchSpec(
                        Path.of("/tmp"),
                        new FilesystemPolicy(
                                false, List.of("/usr", "/lib", "/lib64", "/bin", "/etc", "/proc"), List.of()),
                        new LandlockPolicy(LandlockPolicy.Compatibility.BEST_EFFORT),
                        new ProcessPolicy("65534", "65534"),
                        null,
                        true,
                        List.of())
                .withLimits(new LaunchSpec.Limits(group.joinPaths(), 0));
        // A process that ignores SIGTERM: only the kill can end it.
        program = new ProcessBuilder(spec.command(
                        LauncherBinary.locate(),
                        List.of("sh", "-c", "trap '' TERM; (sleep 300 &); sleep 300 & cat /proc/self/cgroup; wait")))
                .redirectErrorStream(true)
                .start();
        String line;
        String inside = null;
        while ((line = program.inputReader(StandardCharsets.UTF_8).readLine()) != null) {
            if (line.startsWith("0::")) {
                inside = line;
                break;
            }
        }
        assertThat(inside).isEqualTo("0::/" + root.getFileName() + "/" + CgroupHierarchy.PARENT + "/sb-v2");
        assertThat(v2.sandboxIds()).containsExactly("sb-v2");

        group.terminate(Duration.ofMillis(100));
        group.remove();

        assertThat(program.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(root.resolve(CgroupHierarchy.PARENT).resolve("sb-v2")).doesNotExist();
        assertThat(group.hits()).isEqualTo(LimitHits.NONE);
    }
}
