package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.validation.Violations;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Resource limits of a sandbox's agent (a cgroup on the local driver, container or pod limits
 * elsewhere). Each is optional: absent means the driver's default.
 *
 * @param memoryBytes memory limit in bytes, 4 MiB to 1 TiB
 * @param cpus CPU time as a number of CPUs ({@code 0.5}, {@code 2}), 0.01 to 1024
 * @param pids the most processes and threads at once, 1 to 4194304
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceLimits(Long memoryBytes, Double cpus, Integer pids) {

    public static final long MIN_MEMORY = 4L << 20;
    public static final long MAX_MEMORY = 1L << 40;
    public static final double MIN_CPUS = 0.01;
    public static final double MAX_CPUS = 1024;
    public static final int MAX_PIDS = 4_194_304;

    /** Adds a violation per limit out of range. */
    public void validate(Violations v, String field) {
        if (memoryBytes != null && (memoryBytes < MIN_MEMORY || memoryBytes > MAX_MEMORY)) {
            v.add(
                    field + ".memory_bytes",
                    memoryBytes + " is out of range " + MIN_MEMORY + " (4 MiB) to " + MAX_MEMORY + " (1 TiB)");
        }
        if (cpus != null && (!Double.isFinite(cpus) || cpus < MIN_CPUS || cpus > MAX_CPUS)) {
            v.add(field + ".cpus", cpus + " is out of range " + MIN_CPUS + " to " + (int) MAX_CPUS);
        }
        if (pids != null && (pids < 1 || pids > MAX_PIDS)) {
            v.add(field + ".pids", pids + " is out of range 1 to " + MAX_PIDS);
        }
    }
}
