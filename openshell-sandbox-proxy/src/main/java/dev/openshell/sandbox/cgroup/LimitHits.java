package dev.openshell.sandbox.cgroup;

import java.util.Optional;

/**
 * How often a sandbox ran into its limits, from its cgroup's counters.
 *
 * @param oomKills processes the kernel killed because the memory limit was reached
 * @param pidsRefused forks refused because the pids limit was reached
 */
public record LimitHits(long oomKills, long pidsRefused) {

    public static final LimitHits NONE = new LimitHits(0, 0);

    public boolean any() {
        return oomKills > 0 || pidsRefused > 0;
    }

    /** Why the sandbox was ended, naming the limit; empty when none was hit. */
    public Optional<String> reason(ResourceLimits limits) {
        if (oomKills > 0) {
            return Optional.of("memory limit of " + ByteSize.format(limits.memoryBytes())
                    + " reached: out-of-memory kill inside the sandbox (" + oomKills + " process"
                    + (oomKills == 1 ? "" : "es") + ")");
        }
        if (pidsRefused > 0) {
            return Optional.of("process limit of " + limits.pids() + " reached: " + pidsRefused + " fork"
                    + (pidsRefused == 1 ? "" : "s") + " refused");
        }
        return Optional.empty();
    }
}
