package dev.openshell.sandbox.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupMountsTest {

    /** This machine's layout: v1 controllers, and a v2 mount with nothing useful. */
    private static final List<String> HYBRID = List.of(
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct",
            "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
            "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
            "50 23 0:40 / /mnt/with\\040space rw - ext4 /dev/sda1 rw");

    @TempDir
    Path tmp;

    @Test
    void findsV1ControllersAndTheUnifiedMount() {
        CgroupMounts mounts = CgroupMounts.parse(HYBRID);

        assertThat(mounts.unified()).contains(Path.of("/sys/fs/cgroup/unified"));
        assertThat(mounts.controllers())
                .containsEntry("memory", Path.of("/sys/fs/cgroup/memory"))
                .containsEntry("pids", Path.of("/sys/fs/cgroup/pids"))
                .containsEntry("cpu", Path.of("/sys/fs/cgroup/cpu,cpuacct"))
                .containsEntry("cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct"))
                .doesNotContainKeys("rw", "ro");
    }

    @Test
    void aUnifiedMountWithoutMemoryAndPidsFallsBackToV1() throws Exception {
        Path unified = Files.createDirectory(tmp.resolve("unified"));
        Files.writeString(unified.resolve("cgroup.controllers"), "hugetlb\n");
        CgroupMounts mounts = new CgroupMounts(
                Optional.of(unified), Map.of("memory", Path.of("/m"), "pids", Path.of("/p"), "cpu", Path.of("/c")));

        assertThat(CgroupHierarchy.detect(mounts)).isEqualTo(new CgroupV1(Path.of("/m"), Path.of("/p"), Path.of("/c")));
    }

    @Test
    void aUnifiedMountWithMemoryAndPidsIsPreferred() throws Exception {
        Files.writeString(tmp.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        CgroupMounts mounts =
                new CgroupMounts(Optional.of(tmp), Map.of("memory", Path.of("/m"), "pids", Path.of("/p")));

        assertThat(CgroupHierarchy.detect(mounts)).isEqualTo(new CgroupV2(tmp, true));
    }

    @Test
    void neitherIsAClearError() {
        CgroupMounts mounts = new CgroupMounts(Optional.empty(), Map.of("memory", Path.of("/m")));

        assertThatThrownBy(() -> CgroupHierarchy.detect(mounts))
                .hasMessageContaining("memory and pids cgroup controllers")
                .extracting("code")
                .isEqualTo(ErrorCode.CGROUPS_UNAVAILABLE);
    }
}
