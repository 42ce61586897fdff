package dev.openshell.sandbox.launch;

import dev.openshell.policy.model.FilesystemPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the agent's own root shows ({@code --private-mounts}): the host paths the filesystem policy
 * lists, each at the same place, turned into launcher options. Nothing else of the host is there:
 * the launcher adds only the sandbox's own places ({@link #SANDBOX_PLACES}) and the binds.
 *
 * <p>Rules, so that the mounts never grant more than Landlock does and nothing writable can run:
 *
 * <ul>
 *   <li>a path under one of the sandbox's own places or under a bind target is not exposed (the
 *       agent sees the sandbox's version there);
 *   <li>a path already shown by an exposed ancestor is not exposed again, except a writable path
 *       under a read-only one, which gets its own (noexec) mount; a read-only path under a writable
 *       one stays writable (Landlock rights add up) and so stays noexec too;
 *   <li>a listed path that is a symlink on the host is recreated as the same symlink, and its
 *       target is exposed instead ({@code /bin -> usr/bin}), so programs keep the paths they have
 *       on the host, which is what policy binaries name;
 *   <li>a writable bind whose host source differs from its target and lies under an exposure is
 *       also mounted (noexec, idmapped like the bind if it is) at its source, or the agent could
 *       write through the target and run the file through the source.
 * </ul>
 */
public final class AgentView {

    /** Places the sandbox always provides itself; the host's never show. */
    public static final List<Path> SANDBOX_PLACES = List.of(
            Path.of("/tmp"),
            Path.of("/var/tmp"),
            Path.of("/run"),
            Path.of("/var/run"),
            Path.of("/dev"),
            Path.of("/proc"));

    /** What exists below the sandbox's own places before the agent writes anything. */
    private static final Set<Path> SANDBOX_CONTENTS = Set.of(
            Path.of("/dev/null"),
            Path.of("/dev/zero"),
            Path.of("/dev/full"),
            Path.of("/dev/random"),
            Path.of("/dev/urandom"),
            Path.of("/dev/tty"),
            Path.of("/dev/ptmx"),
            Path.of("/dev/pts"),
            Path.of("/dev/shm"),
            Path.of("/dev/fd"),
            Path.of("/dev/stdin"),
            Path.of("/dev/stdout"),
            Path.of("/dev/stderr"));

    private final List<String> options;
    private final List<Path> exposed;
    private final List<LaunchSpec.Bind> binds;

    private AgentView(List<String> options, List<Path> exposed, List<LaunchSpec.Bind> binds) {
        this.options = List.copyOf(options);
        this.exposed = List.copyOf(exposed);
        this.binds = List.copyOf(binds);
    }

    /**
     * The view for a policy, the agent's work directory (as the agent sees it) and the binds;
     * reads the host's filesystem for symlinks.
     */
    public static AgentView of(FilesystemPolicy filesystem, Path workdir, List<LaunchSpec.Bind> binds) {
        List<Path> covering = new ArrayList<>(SANDBOX_PLACES);
        covering.add(workdir);
        binds.forEach(b -> covering.add(b.target()));
        // path -> writable; sorted, so an ancestor always comes before what lies below it
        TreeMap<String, Boolean> wanted = new TreeMap<>();
        List<String> options = new ArrayList<>();
        List<String> links = new ArrayList<>();
        filesystem.readOnly().forEach(p -> want(Path.of(p), false, covering, wanted, links));
        filesystem.readWrite().forEach(p -> want(Path.of(p), true, covering, wanted, links));
        List<Path> exposed = new ArrayList<>();
        TreeMap<String, Boolean> shown = new TreeMap<>();
        for (var entry : wanted.entrySet()) {
            Path path = Path.of(entry.getKey());
            Boolean cover = coveringExposure(shown, path);
            if (cover != null && (cover || !entry.getValue())) {
                continue;
            }
            shown.put(entry.getKey(), entry.getValue());
            exposed.add(path);
            options.add(entry.getValue() ? "--expose-writable" : "--expose");
            options.add(entry.getKey());
        }
        options.addAll(links);
        List<LaunchSpec.Bind> all = new ArrayList<>(binds);
        for (LaunchSpec.Bind bind : binds) {
            if (!bind.readOnly()
                    && !bind.source().equals(bind.target())
                    && coveringExposure(shown, bind.source()) != null) {
                all.add(bind.at(bind.source()));
            }
        }
        return new AgentView(options, exposed, all);
    }

    private static void want(
            Path path, boolean writable, List<Path> covering, TreeMap<String, Boolean> wanted, List<String> links) {
        if (covering.stream().anyMatch(path::startsWith)) {
            return;
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            return; // missing on the host: Landlock reports it as its compatibility mode says
        } catch (IOException e) {
            real = path;
        }
        if (!real.equals(path)) {
            if (Files.isSymbolicLink(path) && isReal(path.getParent())) {
                try {
                    String target = Files.readSymbolicLink(path).toString();
                    if (!path.toString().contains(":")) {
                        links.add("--symlink");
                        links.add(path + ":" + target);
                    }
                } catch (IOException e) {
                    // not readable: the agent reaches the target by its real path only
                }
            }
            want(real, writable, covering, wanted, links);
            return;
        }
        wanted.merge(path.toString(), writable, Boolean::logicalOr);
    }

    private static boolean isReal(Path directory) {
        try {
            return directory == null || directory.toRealPath().equals(directory);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether an exposure already shows {@code path}: null if none, else whether it is writable. */
    private static Boolean coveringExposure(TreeMap<String, Boolean> shown, Path path) {
        Boolean found = null;
        for (var entry : shown.entrySet()) {
            if (path.startsWith(entry.getKey())) {
                found = found == null ? entry.getValue() : found || entry.getValue();
            }
        }
        return found;
    }

    /** The launcher options for the exposures and symlinks, in order. */
    public List<String> options() {
        return options;
    }

    /** The host paths shown at the same place. */
    public List<Path> exposed() {
        return exposed;
    }

    /** The binds to make: the caller's, plus writable sources that an exposure would show. */
    public List<LaunchSpec.Bind> binds() {
        return binds;
    }

    /**
     * Whether {@code path} will exist in the agent's view: a path under a sandbox place only if the
     * sandbox itself makes it, a path under a bind or exposure if the host has it.
     */
    public boolean shows(Path path) {
        for (LaunchSpec.Bind bind : binds) {
            if (path.equals(bind.target())) {
                return true; // the launcher fails the start itself when a bind's source is missing
            }
            if (path.startsWith(bind.target())) {
                return Files.exists(bind.source().resolve(bind.target().relativize(path)));
            }
        }
        if (path.startsWith("/proc")) {
            return true;
        }
        if (SANDBOX_PLACES.stream().anyMatch(path::startsWith)) {
            return SANDBOX_PLACES.contains(path)
                            && !path.equals(Path.of("/var/tmp"))
                            && !path.equals(Path.of("/var/run"))
                    || SANDBOX_CONTENTS.contains(path);
        }
        return exposed.stream().anyMatch(path::startsWith) && Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                || Files.isSymbolicLink(path) && shows(resolved(path));
    }

    private static Path resolved(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }
}
