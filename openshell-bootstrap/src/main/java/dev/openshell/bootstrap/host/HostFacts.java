package dev.openshell.bootstrap.host;

import java.util.Optional;
import java.util.Set;

/**
 * What a host offers for running sandboxes, as {@link HostCheck}s need to know it. {@link
 * LinuxHostFacts} asks this host; tests describe other hosts.
 */
public interface HostFacts {

    /** The effective uid of this process. */
    int effectiveUid();

    /** The path of {@code tool} on the {@code PATH} (or the sbin directories), if installed. */
    Optional<String> tool(String tool);

    /** The Landlock ABI version the kernel offers; 0 when Landlock is missing or disabled. */
    int landlockAbi();

    /** Whether the kernel has network namespaces ({@code /proc/self/ns/net}). */
    boolean networkNamespaces();

    /** The cgroup layout: {@code v2} or {@code v1} and the controllers it offers; empty when there is none. */
    Optional<Cgroups> cgroups();

    /** Whether a Docker daemon answers on its socket. */
    boolean dockerDaemon();

    /** @param controllers memory, pids, cpu, ... */
    record Cgroups(String version, Set<String> controllers) {}
}
