package dev.openshell.sandbox.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the v2 implementation writes and reads, on a directory shaped like a unified hierarchy (this
 * machine's v2 mount offers no memory or pids controller; {@code CgroupV2IT} runs the lifecycle on
 * the real one).
 */
class CgroupV2Test {

    private static final long MIB = 1L << 20;

    @TempDir
    Path root;

    @Test
    void enablesTheControllersAndWritesEveryLimit() throws Exception {
        Files.writeString(root.resolve("cgroup.subtree_control"), "cpu\n");
        Files.createDirectories(root.resolve("openshell"));
        Files.writeString(root.resolve("openshell/cgroup.subtree_control"), "memory pids cpu\n");
        CgroupV2 v2 = new CgroupV2(root, true);

        SandboxCgroup group = v2.create("sb-1", new ResourceLimits(64 * MIB, 1.5, 128, 32 * MIB));

        Path dir = root.resolve("openshell/sb-1");
        assertThat(group.joinPaths()).containsExactly(dir);
        assertThat(root.resolve("cgroup.subtree_control")).hasContent("+memory +pids");
        assertThat(root.resolve("openshell/cgroup.subtree_control")).hasContent("memory pids cpu");
        assertThat(dir.resolve("memory.max")).hasContent(Long.toString(64 * MIB));
        assertThat(dir.resolve("memory.oom.group")).hasContent("1");
        assertThat(dir.resolve("pids.max")).hasContent("128");
        assertThat(dir.resolve("cpu.max")).hasContent("150000 100000");
        assertThat(v2.sandboxIds()).containsExactly("sb-1");
    }

    @Test
    void readsTheLimitCounters() throws Exception {
        Path dir = Files.createDirectories(root.resolve("openshell/sb-2"));
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 1\n");
        Files.writeString(dir.resolve("pids.events"), "max 0\n");

        assertThat(new CgroupV2(root, true).existing("sb-2").hits()).isEqualTo(new LimitHits(1, 0));

        Files.writeString(dir.resolve("memory.events"), "oom 0\noom_kill 0\n");
        Files.writeString(dir.resolve("pids.events"), "max 5\n");
        assertThat(new CgroupV2(root, true).existing("sb-2").hits()).isEqualTo(new LimitHits(0, 5));
        assertThat(new CgroupV2(root, true).existing("sb-gone").hits()).isEqualTo(LimitHits.NONE);
    }

    @Test
    void anExistingGroupIsNotTakenOver() throws Exception {
        Files.createDirectories(root.resolve("openshell/sb-3"));

        assertThatThrownBy(() -> new CgroupV2(root, false).create("sb-3", new ResourceLimits(64 * MIB, 1, 64, MIB)))
                .hasMessageContaining("exists already")
                .extracting("code")
                .isEqualTo(ErrorCode.CGROUP_FAILED);
    }
}
