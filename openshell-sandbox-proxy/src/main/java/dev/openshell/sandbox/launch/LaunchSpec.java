package dev.openshell.sandbox.launch;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.ProcessPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How the agent process is confined, turned into an {@code openshell-launch} command line.
 *
 * <p>All paths are as the agent sees them, i.e. after the mounts; only a bind's source is a host
 * path. The work directory is the agent's current directory and, when the filesystem policy says
 * {@code include_workdir}, also read-write.
 *
 * @param workdir the agent's working directory (absolute)
 * @param filesystem the Landlock paths (and, with private mounts, what the agent's root shows)
 * @param landlock whether a path or kernel Landlock cannot honour aborts the start
 * @param process the user and group the agent runs as (never root)
 * @param netns a network namespace file to enter ({@code /var/run/netns/NAME}), or null to stay
 * @param privateMounts whether the agent gets its own mount and PID namespaces: a root holding only
 *     what the policy lists ({@link AgentView}), the sandbox's own {@code /tmp}, {@code /run},
 *     {@code /dev}, {@code /proc}, and an init as pid 1
 * @param binds host directories or files mounted into the agent's view (needs privateMounts)
 * @param joinInit the host pid of a running sandbox's init whose mount, network and PID
 *     namespaces the program joins (an SSH session); empty to make them
 * @param limits the cgroups the launcher joins first (a session too, so it is counted with the
 *     agent) and the size of the sandbox's writable tmpfs places (with private mounts only)
 */
public record LaunchSpec(
        Path workdir,
        FilesystemPolicy filesystem,
        LandlockPolicy landlock,
        ProcessPolicy process,
        Path netns,
        boolean privateMounts,
        List<Bind> binds,
        OptionalLong joinInit,
        Limits limits) {

    public LaunchSpec {
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(filesystem, "filesystem");
        Objects.requireNonNull(landlock, "landlock");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(joinInit, "joinInit");
        Objects.requireNonNull(limits, "limits");
        binds = List.copyOf(binds);
        requireAbsolute("workdir", workdir);
        if (netns != null) {
            requireAbsolute("netns", netns);
        }
        if (!binds.isEmpty() && !privateMounts) {
            throw new LaunchException(ErrorCode.LAUNCH_SPEC_INVALID, "binds need private mounts");
        }
        if (joinInit.isPresent() && privateMounts) {
            throw new LaunchException(
                    ErrorCode.LAUNCH_SPEC_INVALID, "a session joins the sandbox's mounts: no private mounts");
        }
    }

    /** A spec that makes its own namespaces (or stays in the caller's), joining none, without cgroups. */
    public LaunchSpec(
            Path workdir,
            FilesystemPolicy filesystem,
            LandlockPolicy landlock,
            ProcessPolicy process,
            Path netns,
            boolean privateMounts,
            List<Bind> binds) {
        this(workdir, filesystem, landlock, process, netns, privateMounts, binds, OptionalLong.empty(), Limits.NONE);
    }

    /** The static sections of {@code policy}, staying in the caller's network and mount namespaces. */
    public static LaunchSpec of(Policy policy, Path workdir) {
        return new LaunchSpec(
                workdir, policy.filesystem(), policy.landlock(), policy.process(), null, false, List.of());
    }

    /** This spec entering the network namespace at {@code namespaceFile}. */
    public LaunchSpec withNetns(Path namespaceFile) {
        return new LaunchSpec(
                workdir, filesystem, landlock, process, namespaceFile, privateMounts, binds, joinInit, limits);
    }

    /** This spec joining {@code value}'s cgroups and sizing the writable tmpfs places by it. */
    public LaunchSpec withLimits(Limits value) {
        return new LaunchSpec(workdir, filesystem, landlock, process, netns, privateMounts, binds, joinInit, value);
    }

    /** This spec with its own mount and PID namespaces (the policy's view, see {@link AgentView}) and these binds. */
    public LaunchSpec withPrivateMounts(List<Bind> mounts) {
        return new LaunchSpec(
                workdir, filesystem, landlock, process, netns, true, mounts, OptionalLong.empty(), limits);
    }

    /**
     * This spec for a process inside the running sandbox whose init has host pid {@code initPid}:
     * the same Landlock rules, seccomp filter, user and cgroups, in the sandbox's namespaces (its
     * root, {@code /tmp} and processes), instead of namespaces of its own.
     */
    public LaunchSpec joining(long initPid) {
        if (initPid <= 1) {
            throw new LaunchException(ErrorCode.LAUNCH_SPEC_INVALID, "not a sandbox init: pid " + initPid);
        }
        return new LaunchSpec(
                workdir, filesystem, landlock, process, netns, false, List.of(), OptionalLong.of(initPid), limits);
    }

    /** What the agent's root shows (meaningful with private mounts). */
    public AgentView view() {
        return AgentView.of(filesystem, workdir, binds);
    }

    /** The command that runs {@code program} confined, using the launcher from {@link LauncherBinary}. */
    public List<String> command(List<String> program) {
        return command(LauncherBinary.locate(), program);
    }

    /** The command that runs {@code program} confined by the given launcher binary. */
    public List<String> command(Path launcher, List<String> program) {
        if (program.isEmpty()) {
            throw new LaunchException(ErrorCode.LAUNCH_SPEC_INVALID, "no program to launch");
        }
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        limits.cgroups().forEach(dir -> option(command, "--cgroup", dir.toString()));
        command.add("--landlock");
        command.add(landlock.compatibility().yaml());
        if (netns != null) {
            option(command, "--netns", netns.toString());
        }
        joinInit.ifPresent(pid -> option(command, "--join", Long.toString(pid)));
        if (privateMounts || joinInit.isPresent()) {
            // A sandbox outliving its supervisor (kill -9) would run on with nobody to police or end it.
            command.add("--die-with-parent");
        }
        if (privateMounts) {
            command.add("--private-mounts");
            if (filesystem.execFromWritable()) {
                command.add("--exec-from-writable");
            }
            if (limits.tmpBytes() > 0) {
                option(command, "--tmp-size", Long.toString(limits.tmpBytes()));
            }
            AgentView view = view();
            command.addAll(view.options());
            for (Bind bind : view.binds()) {
                option(command, bind.option(), bind.source() + ":" + bind.target());
            }
        }
        filesystem.readOnly().forEach(path -> option(command, "--ro", path));
        readWritePaths().forEach(path -> option(command, "--rw", path));
        option(command, "--user", process.runAsUser());
        option(command, "--group", process.runAsGroup());
        option(command, "--chdir", workdir.toString());
        command.add("--seccomp");
        command.add("--");
        command.addAll(program);
        return List.copyOf(command);
    }

    private Set<String> readWritePaths() {
        Set<String> paths = new LinkedHashSet<>(filesystem.readWrite());
        if (filesystem.includeWorkdir()) {
            paths.add(workdir.toString());
        }
        return paths;
    }

    private static void option(List<String> command, String name, String value) {
        command.add(name);
        command.add(value);
    }

    private static void requireAbsolute(String what, Path path) {
        if (!path.isAbsolute()) {
            throw new LaunchException(ErrorCode.LAUNCH_SPEC_INVALID, what + " must be an absolute path: " + path);
        }
    }

    /**
     * Resource limits as the launcher applies them.
     *
     * @param cgroups directories whose {@code cgroup.procs} the launcher joins before anything forks
     * @param tmpBytes the size of each of the sandbox's writable tmpfs places ({@code /tmp}, {@code
     *     /var/tmp}, {@code /dev/shm}); 0 for the kernel's default
     */
    public record Limits(List<Path> cgroups, long tmpBytes) {

        public static final Limits NONE = new Limits(List.of(), 0);

        public Limits {
            cgroups = List.copyOf(cgroups);
            cgroups.forEach(dir -> requireAbsolute("cgroup", dir));
            if (tmpBytes < 0) {
                throw new LaunchException(ErrorCode.LAUNCH_SPEC_INVALID, "tmp size must not be negative: " + tmpBytes);
            }
        }
    }

    /**
     * A bind mount into the agent's mount namespace.
     *
     * @param source the host path; resolved before the agent's fresh {@code /tmp} hides the host's
     * @param target where the agent sees it; created when missing only on the sandbox's own tmpfs
     *     (its root, {@code /tmp}, {@code /run}), never on a host filesystem
     * @param readOnly read-only; otherwise writable and noexec (unless {@code exec_from_writable})
     * @param idmapped whether {@code source} (a directory, not owned by root) is mounted writable
     *     through an idmapping that shows its owner and group as the agent's uid and gid, so the
     *     agent writes where the owner may and what it creates belongs to the owner on the host
     */
    public record Bind(Path source, Path target, boolean readOnly, boolean idmapped) {

        /** A writable bind. */
        public Bind(Path source, Path target) {
            this(source, target, false, false);
        }

        /** A read-only bind. */
        public static Bind readOnly(Path source, Path target) {
            return new Bind(source, target, true, false);
        }

        /** A writable bind of a user's directory through an idmapped mount. */
        public static Bind idmapped(Path source, Path target) {
            return new Bind(source, target, false, true);
        }

        public Bind {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            requireAbsolute("bind source", source);
            requireAbsolute("bind target", target);
            if (source.toString().contains(":")) {
                // The launcher splits SRC:DST at the first colon.
                throw new LaunchException(ErrorCode.LAUNCH_SPEC_INVALID, "bind source may not contain ':': " + source);
            }
            if (readOnly && idmapped) {
                throw new LaunchException(ErrorCode.LAUNCH_SPEC_INVALID, "an idmapped bind is writable: " + source);
            }
        }

        /** The same kind of bind of {@code source} at another {@code target}. */
        public Bind at(Path otherTarget) {
            return new Bind(source, otherTarget, readOnly, idmapped);
        }

        /** The launcher option that makes this bind. */
        String option() {
            return idmapped ? "--bind-idmapped" : readOnly ? "--ro-bind" : "--bind";
        }
    }
}
