package dev.openshell.sandbox.cgroup;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this host has, for the default limits.
 *
 * @param memoryBytes total RAM ({@code MemTotal})
 * @param cores the CPUs this process may use
 */
public record HostResources(long memoryBytes, int cores) {

    public HostResources {
        if (memoryBytes <= 0 || cores <= 0) {
            throw new IllegalArgumentException("memory and cores must be positive: " + memoryBytes + ", " + cores);
        }
    }

    /** This host: {@code /proc/meminfo} and the JVM's processor count. */
    public static HostResources detect() {
        long memory = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memory = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    break;
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new CgroupException(
                    ErrorCode.CGROUPS_UNAVAILABLE, "cannot read the host's memory size: " + e.getMessage(), e);
        }
        return new HostResources(memory, Runtime.getRuntime().availableProcessors());
    }
}
