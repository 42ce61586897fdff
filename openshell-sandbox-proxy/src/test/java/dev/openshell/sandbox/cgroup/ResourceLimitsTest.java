package dev.openshell.sandbox.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import org.junit.jupiter.api.Test;

class ResourceLimitsTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @Test
    void defaultsAreTwoGibOrHalfTheRamAllCoresAndATmpOfHalfTheMemory() {
        assertThat(ResourceLimits.DEFAULT.resolve(new HostResources(24 * GIB, 2)))
                .isEqualTo(new ResourceLimits(2 * GIB, 2, 1024, GIB));
        assertThat(ResourceLimits.DEFAULT.resolve(new HostResources(2 * GIB, 8)))
                .isEqualTo(new ResourceLimits(GIB, 8, 1024, GIB / 2));
    }

    @Test
    void givenValuesWinAndTheTmpNeverExceedsTheMemory() {
        ResourceLimits limits = ResourceLimits.DEFAULT
                .withMemory(256 * MIB)
                .withCpus(0.5)
                .withPids(64)
                .resolve(new HostResources(24 * GIB, 2));

        assertThat(limits).isEqualTo(new ResourceLimits(256 * MIB, 0.5, 64, 128 * MIB));
        assertThat(limits.describe()).isEqualTo("memory 256 MiB, cpus 0.50, pids 64, /tmp 128 MiB");
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheLimit() {
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withMemory(MIB))
                .hasMessageContaining("memory 1 MiB is below the minimum of 16 MiB")
                .extracting("code")
                .isEqualTo(ErrorCode.RESOURCES_INVALID);
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withPids(2)).hasMessageContaining("pids 2");
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withPids(-1)).hasMessageContaining("pids -1");
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withCpus(0.001)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withCpus(Double.NaN)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withCpus(-2)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withMemory(-5)).hasMessageContaining("memory");
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withTmp(100)).hasMessageContaining("tmp size");
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withMemory(64 * MIB).withTmp(128 * MIB))
                .hasMessageContaining("above the memory limit");
        assertThatThrownBy(() -> ResourceLimits.DEFAULT.withCpus(3).resolve(new HostResources(GIB, 2)))
                .hasMessageContaining("more than this host's 2");
    }

    @Test
    void sizesParseAsPeopleWriteThem() {
        assertThat(ByteSize.parse("512m", "memory")).isEqualTo(512 * MIB);
        assertThat(ByteSize.parse("2G", "memory")).isEqualTo(2 * GIB);
        assertThat(ByteSize.parse("1.5g", "memory")).isEqualTo(3 * GIB / 2);
        assertThat(ByteSize.parse("64MiB", "memory")).isEqualTo(64 * MIB);
        assertThat(ByteSize.parse("64mb", "memory")).isEqualTo(64 * MIB);
        assertThat(ByteSize.parse("1048576", "memory")).isEqualTo(MIB);
        assertThat(ByteSize.parse(" 4k ", "memory")).isEqualTo(4096);
        for (String bad : new String[] {"", "m", "-1g", "1x", "1.2.3g", "99999999999999999g", "1e9", "0x10"}) {
            assertThatThrownBy(() -> ByteSize.parse(bad, "--memory"))
                    .as(bad)
                    .hasMessageStartingWith("--memory: '")
                    .extracting("code")
                    .isEqualTo(ErrorCode.RESOURCES_INVALID);
        }
        assertThat(ByteSize.format(1536 * MIB)).isEqualTo("1.5 GiB");
        assertThat(ByteSize.format(64 * MIB)).isEqualTo("64 MiB");
        assertThat(ByteSize.format(100)).isEqualTo("100 B");
    }

    @Test
    void hitsNameTheLimit() {
        ResourceLimits limits = new ResourceLimits(64 * MIB, 1, 32, 16 * MIB);

        assertThat(LimitHits.NONE.reason(limits)).isEmpty();
        assertThat(new LimitHits(1, 0).reason(limits))
                .contains("memory limit of 64 MiB reached: out-of-memory kill inside the sandbox (1 process)");
        assertThat(new LimitHits(0, 7).reason(limits)).contains("process limit of 32 reached: 7 forks refused");
    }
}
