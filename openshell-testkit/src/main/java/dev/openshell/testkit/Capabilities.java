package dev.openshell.testkit;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Probes for what tests need from the machine; each answers why not, or empty when present. */
public final class Capabilities {

    private static final List<Path> TOOL_DIRS = List.of(
            Path.of("/usr/local/sbin"),
            Path.of("/usr/local/bin"),
            Path.of("/usr/sbin"),
            Path.of("/usr/bin"),
            Path.of("/sbin"),
            Path.of("/bin"));
    private static final long SYS_LANDLOCK_CREATE_RULESET = 444;
    private static final int LANDLOCK_CREATE_RULESET_VERSION = 1;

    private Capabilities() {}

    /** Whether this process runs as root ({@code /proc/self} belongs to the effective uid). */
    public static Optional<String> root() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid) ? Optional.empty() : Optional.of("needs root (uid is " + uid + ")");
        } catch (Exception e) {
            return Optional.of("needs root (cannot read /proc/self: " + e.getMessage() + ")");
        }
    }

    /**
     * Whether {@code name} is an executable in the usual system directories, or, for an absolute
     * path, whether that file is executable.
     */
    public static Optional<String> tool(String name) {
        Path path = Path.of(name);
        if (path.isAbsolute()) {
            return Files.isExecutable(path) ? Optional.empty() : Optional.of("needs `" + name + "` (not executable)");
        }
        boolean found = TOOL_DIRS.stream().map(dir -> dir.resolve(name)).anyMatch(Files::isExecutable);
        return found ? Optional.empty() : Optional.of("needs `" + name + "` (not found in " + TOOL_DIRS + ")");
    }

    /** The kernel's Landlock ABI version, or 0 when Landlock is unavailable. */
    public static int landlockAbi() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle syscall = linker.downcallHandle(
                    linker.defaultLookup().findOrThrow("syscall"),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(1));
            long abi = (long) syscall.invokeExact(
                    SYS_LANDLOCK_CREATE_RULESET, MemorySegment.NULL, 0L, LANDLOCK_CREATE_RULESET_VERSION);
            return abi > 0 ? (int) abi : 0;
        } catch (Throwable e) {
            return 0;
        }
    }

    /** Whether Landlock is available in this kernel. */
    public static Optional<String> landlock() {
        return landlockAbi() > 0 ? Optional.empty() : Optional.of("needs Landlock (the kernel reports no ABI)");
    }

    /**
     * Whether the kernel has seccomp filters: {@code /proc/self/status} shows {@code
     * Seccomp_filters} only when it was built with them.
     */
    public static Optional<String> seccomp() {
        try {
            boolean filters = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Seccomp_filters:"));
            return filters
                    ? Optional.empty()
                    : Optional.of("needs seccomp filters (/proc/self/status shows no Seccomp_filters)");
        } catch (java.io.IOException e) {
            return Optional.of("needs seccomp filters (cannot read /proc/self/status: " + e.getMessage() + ")");
        }
    }

    /** Whether a Docker daemon's socket is there. */
    public static Optional<String> dockerSocket() {
        Path socket = Path.of("/var/run/docker.sock");
        return Files.exists(socket)
                ? Optional.empty()
                : Optional.of("needs a Docker daemon (" + socket + " is missing)");
    }
}
