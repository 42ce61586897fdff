package dev.openshell.sandbox.cgroup;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Cgroup v2: one unified hierarchy. The memory, pids (and cpu) controllers are enabled in the
 * root's and {@value CgroupHierarchy#PARENT}'s {@code cgroup.subtree_control}; a sandbox's group
 * gets {@code memory.max}, {@code memory.swap.max 0}, {@code memory.oom.group 1} (an OOM kill takes
 * the whole sandbox, as on v1 the supervisor does), {@code pids.max} and {@code cpu.max}. OOM kills
 * are counted in {@code memory.events}, refused forks in {@code pids.events}; {@code cgroup.kill}
 * ends everything at once.
 *
 * @param root the unified hierarchy's mount point
 * @param cpu whether the cpu controller is available (else CPUs are not limited)
 */
public record CgroupV2(Path root, boolean cpu) implements CgroupHierarchy {

    public CgroupV2 {
        Objects.requireNonNull(root, "root");
    }

    @Override
    public String version() {
        return "v2";
    }

    @Override
    public SandboxCgroup create(String sandboxId, ResourceLimits limits) {
        Group group = existing(sandboxId);
        try {
            enableControllers(root);
            Path parent = root.resolve(PARENT);
            if (!Files.isDirectory(parent)) {
                try {
                    Files.createDirectory(parent);
                } catch (FileAlreadyExistsException e) {
                    // a concurrent start made it
                }
            }
            enableControllers(parent);
            Files.createDirectory(group.dir());
        } catch (FileAlreadyExistsException e) {
            throw new CgroupException(
                    ErrorCode.CGROUP_FAILED, "the cgroup of sandbox " + sandboxId + " exists already: " + e.getFile());
        } catch (IOException e) {
            throw new CgroupException(
                    ErrorCode.CGROUP_FAILED, "cannot create the cgroup of " + sandboxId + ": " + e, e);
        }
        try {
            Path dir = group.dir();
            CgroupFiles.write(dir.resolve("memory.max"), limits.memoryBytes() + "\n");
            if (Files.exists(dir.resolve("memory.swap.max"))) {
                CgroupFiles.write(dir.resolve("memory.swap.max"), "0\n");
            }
            CgroupFiles.write(dir.resolve("memory.oom.group"), "1\n");
            CgroupFiles.write(dir.resolve("pids.max"), limits.pids() + "\n");
            if (cpu) {
                CgroupFiles.write(
                        dir.resolve("cpu.max"),
                        Math.round(limits.cpus() * CgroupV1.CFS_PERIOD_US) + " " + CgroupV1.CFS_PERIOD_US + "\n");
            }
            return group;
        } catch (RuntimeException e) {
            CgroupFiles.remove(List.of(group.dir()));
            throw e;
        }
    }

    private void enableControllers(Path dir) {
        Set<String> enabled = CgroupHierarchy.words(dir.resolve("cgroup.subtree_control"));
        StringBuilder wanted = new StringBuilder();
        for (String controller : cpu ? List.of("memory", "pids", "cpu") : List.of("memory", "pids")) {
            if (!enabled.contains(controller)) {
                wanted.append(wanted.isEmpty() ? "" : " ").append('+').append(controller);
            }
        }
        if (!wanted.isEmpty()) {
            CgroupFiles.write(dir.resolve("cgroup.subtree_control"), wanted + "\n");
        }
    }

    @Override
    public Group existing(String sandboxId) {
        return new Group(sandboxId, root.resolve(PARENT).resolve(sandboxId));
    }

    @Override
    public List<String> sandboxIds() {
        return CgroupHierarchy.children(root.resolve(PARENT));
    }

    /** A sandbox's directory in the unified hierarchy. */
    record Group(String sandboxId, Path dir) implements SandboxCgroup {

        @Override
        public List<Path> joinPaths() {
            return List.of(dir);
        }

        @Override
        public LimitHits hits() {
            Path events = dir.resolve("memory.events");
            long oomKills =
                    Math.max(CgroupFiles.keyed(events, "oom_kill"), CgroupFiles.keyed(events, "oom_group_kill"));
            return new LimitHits(oomKills, CgroupFiles.keyed(dir.resolve("pids.events"), "max"));
        }

        @Override
        public void terminate(Duration grace) {
            CgroupFiles.signalAndWait(List.of(dir), grace);
            kill();
        }

        @Override
        public void kill() {
            List<Path> dirs = List.of(dir);
            // One write ends every process in the group, forks in flight included (Linux 5.14+).
            Path kill = dir.resolve("cgroup.kill");
            if (Files.exists(kill) && !CgroupFiles.procs(dirs).isEmpty()) {
                CgroupFiles.write(kill, "1\n");
            }
            CgroupFiles.killUntilEmpty(dirs);
        }

        @Override
        public void remove() {
            CgroupFiles.remove(List.of(dir));
        }
    }
}
