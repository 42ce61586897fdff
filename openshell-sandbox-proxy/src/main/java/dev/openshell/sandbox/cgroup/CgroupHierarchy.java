package dev.openshell.sandbox.cgroup;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Where this host keeps cgroups, and how a sandbox's is made: cgroup v2 ({@link CgroupV2}) when
 * its unified hierarchy has the memory and pids controllers, else cgroup v1 ({@link CgroupV1}) with
 * the {@code memory}, {@code pids} and (when mounted) {@code cpu} hierarchies. Sandboxes' groups
 * live under {@value #PARENT}{@code /<sandbox id>} in each.
 */
public sealed interface CgroupHierarchy permits CgroupV1, CgroupV2 {

    /** The directory under each hierarchy's root that holds the sandboxes' groups. */
    String PARENT = "openshell";

    /** {@code v1} or {@code v2}. */
    String version();

    /** Creates the group of {@code sandboxId} with these (resolved) limits; fails if it exists. */
    SandboxCgroup create(String sandboxId, ResourceLimits limits);

    /** A handle on the group of {@code sandboxId} as it is (to end and remove a stale one). */
    SandboxCgroup existing(String sandboxId);

    /** The sandbox ids that have a group now. */
    List<String> sandboxIds();

    /** Probes this host's mounts; fails with {@code cgroups_unavailable} saying what is missing. */
    static CgroupHierarchy detect() {
        return detect(CgroupMounts.read());
    }

    static CgroupHierarchy detect(CgroupMounts mounts) {
        if (mounts.unified().isPresent()) {
            Path root = mounts.unified().get();
            Set<String> available = words(root.resolve("cgroup.controllers"));
            if (available.contains("memory") && available.contains("pids")) {
                return new CgroupV2(root, available.contains("cpu"));
            }
        }
        Path memory = mounts.controllers().get("memory");
        Path pids = mounts.controllers().get("pids");
        if (memory != null && pids != null) {
            return new CgroupV1(memory, pids, mounts.controllers().get("cpu"));
        }
        throw new CgroupException(
                ErrorCode.CGROUPS_UNAVAILABLE,
                "resource limits need the memory and pids cgroup controllers (a cgroup v2 hierarchy that offers"
                        + " them, or cgroup v1 memory and pids hierarchies); this host has neither");
    }

    /** The space-separated words of a file (e.g. {@code cgroup.controllers}); none when unreadable. */
    static Set<String> words(Path file) {
        try {
            return new TreeSet<>(List.of(Files.readString(file).strip().split("\\s+")));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** The sandbox ids with a directory under {@code parent}. */
    static List<String> children(Path parent) {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(parent)) {
            return entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
