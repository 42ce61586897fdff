package dev.openshell.sandbox.cgroup;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Cgroup v1: one hierarchy per controller. A sandbox gets a directory in {@code memory} ({@code
 * memory.limit_in_bytes}, and {@code memory.memsw.limit_in_bytes} the same when swap is accounted,
 * so it cannot swap its way past the limit), in {@code pids} ({@code pids.max}) and, when the host
 * mounts it, in {@code cpu} ({@code cpu.cfs_quota_us} per 100 ms period). OOM kills are counted in
 * {@code memory.oom_control}, refused forks in {@code pids.events}.
 *
 * @param memory the memory hierarchy's mount point
 * @param pids the pids hierarchy's mount point
 * @param cpu the cpu hierarchy's mount point, or null (then CPUs are not limited)
 */
public record CgroupV1(Path memory, Path pids, Path cpu) implements CgroupHierarchy {

    static final long CFS_PERIOD_US = 100_000;

    public CgroupV1 {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(pids, "pids");
    }

    @Override
    public String version() {
        return "v1";
    }

    @Override
    public SandboxCgroup create(String sandboxId, ResourceLimits limits) {
        Group group = existing(sandboxId);
        List<Path> made = new ArrayList<>();
        try {
            for (Path dir : group.joinPaths()) {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir);
                made.add(dir);
            }
            CgroupFiles.write(group.memoryDir().resolve("memory.limit_in_bytes"), limits.memoryBytes() + "\n");
            Path memsw = group.memoryDir().resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(memsw)) {
                CgroupFiles.write(memsw, limits.memoryBytes() + "\n");
            }
            CgroupFiles.write(group.pidsDir().resolve("pids.max"), limits.pids() + "\n");
            if (group.cpuDir() != null) {
                CgroupFiles.write(group.cpuDir().resolve("cpu.cfs_period_us"), CFS_PERIOD_US + "\n");
                CgroupFiles.write(
                        group.cpuDir().resolve("cpu.cfs_quota_us"), Math.round(limits.cpus() * CFS_PERIOD_US) + "\n");
            }
            return group;
        } catch (FileAlreadyExistsException e) {
            CgroupFiles.remove(made);
            throw new CgroupException(
                    ErrorCode.CGROUP_FAILED, "the cgroup of sandbox " + sandboxId + " exists already: " + e.getFile());
        } catch (IOException | RuntimeException e) {
            CgroupFiles.remove(made);
            throw e instanceof CgroupException c
                    ? c
                    : new CgroupException(
                            ErrorCode.CGROUP_FAILED, "cannot create the cgroup of " + sandboxId + ": " + e, e);
        }
    }

    @Override
    public Group existing(String sandboxId) {
        return new Group(
                sandboxId,
                memory.resolve(PARENT).resolve(sandboxId),
                pids.resolve(PARENT).resolve(sandboxId),
                cpu == null ? null : cpu.resolve(PARENT).resolve(sandboxId));
    }

    @Override
    public List<String> sandboxIds() {
        TreeSet<String> ids = new TreeSet<>(CgroupHierarchy.children(memory.resolve(PARENT)));
        ids.addAll(CgroupHierarchy.children(pids.resolve(PARENT)));
        if (cpu != null) {
            ids.addAll(CgroupHierarchy.children(cpu.resolve(PARENT)));
        }
        return List.copyOf(ids);
    }

    /** A sandbox's directories in the memory, pids and (optional) cpu hierarchies. */
    record Group(String sandboxId, Path memoryDir, Path pidsDir, Path cpuDir) implements SandboxCgroup {

        @Override
        public List<Path> joinPaths() {
            return cpuDir == null ? List.of(memoryDir, pidsDir) : List.of(memoryDir, pidsDir, cpuDir);
        }

        @Override
        public LimitHits hits() {
            return new LimitHits(
                    CgroupFiles.keyed(memoryDir.resolve("memory.oom_control"), "oom_kill"),
                    CgroupFiles.keyed(pidsDir.resolve("pids.events"), "max"));
        }

        @Override
        public void terminate(java.time.Duration grace) {
            CgroupFiles.signalAndWait(joinPaths(), grace);
            kill();
        }

        @Override
        public void kill() {
            CgroupFiles.killUntilEmpty(joinPaths());
        }

        @Override
        public void remove() {
            CgroupFiles.remove(joinPaths());
        }
    }
}
