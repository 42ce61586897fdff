package dev.openshell.sandbox.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.sandbox.launch.LaunchSpec;
import dev.openshell.sandbox.launch.LauncherBinary;
import dev.openshell.testkit.RequiresRoot;
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
 * The host's own hierarchy (cgroup v1 on this machine, v2 where the host has it): a sandbox's group
 * gets its limits, the launcher joins it before the program runs, and terminate and remove leave
 * nothing.
 */
@RequiresRoot
class CgroupIT {

    private static final long MIB = 1L << 20;

    private final String id = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private CgroupHierarchy hierarchy;
    private SandboxCgroup group;
    private Process program;

    @BeforeEach
    void detectHierarchy() {
        hierarchy = CgroupHierarchy.detect();
    }

    @AfterEach
    void cleanUp() {
        if (program != null) {
            program.destroyForcibly();
        }
        if (group != null) {
            group.terminate(Duration.ZERO);
            group.remove();
        }
    }

    @Test
    void aGroupHasItsLimitsAndTheLaunchedProgramIsInsideFromTheStart() throws Exception {
        group = hierarchy.create(id, new ResourceLimits(96 * MIB, 0.5, 40, 8 * MIB));

        program = launch(List.of("sh", "-c", "cat /proc/self/cgroup; df -k /tmp | tail -1; echo END; exec sleep 300"));

        String output = readUntil(program, "END");
        for (Path dir : group.joinPaths()) {
            assertThat(output).contains(":/" + CgroupHierarchy.PARENT + "/" + id + "\n");
            assertThat(CgroupFiles.procs(List.of(dir))).contains(program.pid());
        }
        assertThat(output).containsPattern("tmpfs\\s+8192\\s");
        if (hierarchy instanceof CgroupV1 v1) {
            Path memory = v1.existing(id).memoryDir();
            assertThat(Files.readString(memory.resolve("memory.limit_in_bytes")).strip())
                    .isEqualTo(Long.toString(96 * MIB));
            assertThat(Files.readString(v1.existing(id).pidsDir().resolve("pids.max"))
                            .strip())
                    .isEqualTo("40");
            if (v1.cpu() != null) {
                assertThat(Files.readString(v1.existing(id).cpuDir().resolve("cpu.cfs_quota_us"))
                                .strip())
                        .isEqualTo("50000");
            }
        }
        assertThat(hierarchy.sandboxIds()).contains(id);
        assertThat(group.hits()).isEqualTo(LimitHits.NONE);
    }

    @Test
    void terminateEndsEverythingInsideDoubleForksIncludedAndRemoveLeavesNothing() throws Exception {
        group = hierarchy.create(id, new ResourceLimits(64 * MIB, 1, 64, 4 * MIB));
        program = launch(List.of("sh", "-c", "(sleep 300 &) ; sleep 300 & echo END; wait"));
        readUntil(program, "END");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () -> assertThat(CgroupFiles.procs(group.joinPaths())).hasSizeGreaterThanOrEqualTo(3));

        group.terminate(Duration.ofMillis(200));
        group.remove();

        assertThat(program.waitFor(5, TimeUnit.SECONDS)).isTrue();
        for (Path dir : group.joinPaths()) {
            assertThat(dir).doesNotExist();
        }
        assertThat(hierarchy.sandboxIds()).doesNotContain(id);
        group = null;
    }

    @Test
    void aSecondGroupOfTheSameSandboxIsRefused() {
        group = hierarchy.create(id, new ResourceLimits(64 * MIB, 1, 64, 4 * MIB));

        assertThatThrownBy(() -> hierarchy.create(id, new ResourceLimits(64 * MIB, 1, 64, 4 * MIB)))
                .hasMessageContaining("exists already");
        assertThat(group.joinPaths()).allMatch(Files::isDirectory);
    }

    private Process launch(List<String> program) throws Exception {
        LaunchSpec spec = new LaunchSpec(
                        Path.of("/tmp"),
                        new FilesystemPolicy(
                                false, List.of("/usr", "/lib", "/lib64", "/bin", "/etc", "/proc"), List.of()),
                        new LandlockPolicy(LandlockPolicy.Compatibility.BEST_EFFORT),
                        new ProcessPolicy("65534", "65534"),
                        null,
                        true,
                        List.of())
                .withLimits(new LaunchSpec.Limits(group.joinPaths(), 8 * MIB));
        return new ProcessBuilder(spec.command(LauncherBinary.locate(), program))
                .redirectErrorStream(true)
                .start();
    }

    private static String readUntil(Process process, String marker) throws Exception {
        StringBuilder out = new StringBuilder();
        var reader = process.inputReader();
        String line;
        while ((line = reader.readLine()) != null && !line.equals(marker)) {
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
