package dev.openshell.sandbox.cgroup;

import dev.openshell.api.ErrorCode;
import java.util.Locale;

/**
 * How much of the host one sandbox may use: memory (its processes plus what they write to its
 * {@code /tmp}, {@code /var/tmp} and {@code /dev/shm}, tmpfs charged to the sandbox), CPUs,
 * processes, and the size of each of those tmpfs. A field of 0 means "the default" until {@link
 * #resolve} fills it in:
 *
 * <ul>
 *   <li>memory: 2 GiB or half the host's RAM, whichever is lower;
 *   <li>cpus: every core of the host;
 *   <li>pids: {@value #DEFAULT_PIDS};
 *   <li>tmp: half the memory limit.
 * </ul>
 *
 * @param memoryBytes the memory limit (at least {@value #MIN_MEMORY} bytes), or 0
 * @param cpus how many CPUs' worth of time per period (0.01 up to the host's cores), or 0
 * @param pids the most processes and threads at once (at least {@value #MIN_PIDS}), or 0
 * @param tmpBytes the size of each of {@code /tmp}, {@code /var/tmp} and {@code /dev/shm} (at least 1 MiB, at most the
 *     memory limit), or 0
 */
public record ResourceLimits(long memoryBytes, double cpus, int pids, long tmpBytes) {

    /** Every limit at its default. */
    public static final ResourceLimits DEFAULT = new ResourceLimits(0, 0, 0, 0);

    public static final long DEFAULT_MEMORY_CAP = 2L << 30;
    public static final int DEFAULT_PIDS = 1024;
    public static final long MIN_MEMORY = 16L << 20;
    public static final int MIN_PIDS = 8;
    private static final long MIN_TMP = 1L << 20;

    public ResourceLimits {
        if (memoryBytes != 0 && memoryBytes < MIN_MEMORY) {
            throw invalid("memory " + ByteSize.format(memoryBytes) + " is below the minimum of "
                    + ByteSize.format(MIN_MEMORY));
        }
        if (cpus != 0 && !(cpus >= 0.01)) {
            throw invalid("cpus " + cpus + " is below 0.01");
        }
        if (pids != 0 && pids < MIN_PIDS) {
            throw invalid("pids " + pids + " is below the minimum of " + MIN_PIDS);
        }
        if (tmpBytes != 0 && tmpBytes < MIN_TMP) {
            throw invalid("tmp size " + ByteSize.format(tmpBytes) + " is below 1 MiB");
        }
        if (tmpBytes != 0 && memoryBytes != 0 && tmpBytes > memoryBytes) {
            throw invalid("tmp size " + ByteSize.format(tmpBytes) + " is above the memory limit "
                    + ByteSize.format(memoryBytes) + " (what /tmp holds counts as the sandbox's memory)");
        }
    }

    public ResourceLimits withMemory(long bytes) {
        return new ResourceLimits(bytes, cpus, pids, tmpBytes);
    }

    public ResourceLimits withCpus(double value) {
        return new ResourceLimits(memoryBytes, value, pids, tmpBytes);
    }

    public ResourceLimits withPids(int value) {
        return new ResourceLimits(memoryBytes, cpus, value, tmpBytes);
    }

    public ResourceLimits withTmp(long bytes) {
        return new ResourceLimits(memoryBytes, cpus, pids, bytes);
    }

    /** These limits with every default filled in for {@code host}; checked against what it has. */
    public ResourceLimits resolve(HostResources host) {
        long memory = memoryBytes != 0 ? memoryBytes : Math.min(DEFAULT_MEMORY_CAP, host.memoryBytes() / 2);
        if (cpus > host.cores()) {
            throw invalid("cpus " + cpus + " is more than this host's " + host.cores());
        }
        long tmp = tmpBytes != 0 ? tmpBytes : memory / 2;
        return new ResourceLimits(
                memory, cpus != 0 ? cpus : host.cores(), pids != 0 ? pids : DEFAULT_PIDS, Math.min(tmp, memory));
    }

    /** {@code memory 2 GiB, cpus 2, pids 1024, /tmp 1 GiB}. */
    public String describe() {
        String cpuText =
                cpus == Math.rint(cpus) ? Long.toString((long) cpus) : String.format(Locale.ROOT, "%.2f", cpus);
        return "memory " + ByteSize.format(memoryBytes) + ", cpus " + cpuText + ", pids " + pids + ", /tmp "
                + ByteSize.format(tmpBytes);
    }

    private static CgroupException invalid(String message) {
        return new CgroupException(ErrorCode.RESOURCES_INVALID, message);
    }
}
