package dev.openshell.sandbox.cgroup;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reading and writing cgroup control files, and signalling what a group holds. */
final class CgroupFiles {

    private static final long KILL_WAIT_NANOS = 5_000_000_000L;

    private CgroupFiles() {}

    /** Writes {@code value} to a control file in one write (the kernel takes each write whole). */
    static void write(Path file, String value) {
        try {
            Files.writeString(
                    file, value, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CgroupException(
                    ErrorCode.CGROUP_FAILED, "cannot write '" + value.strip() + "' to " + file + ": " + e, e);
        }
    }

    /** The value of {@code key} in a flat keyed file ({@code key value} lines), 0 when absent. */
    static long keyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                int space = line.indexOf(' ');
                if (space > 0 && line.substring(0, space).equals(key)) {
                    return Long.parseLong(line.substring(space + 1).strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // a removed group, or a kernel without this counter: nothing counted
        }
        return 0;
    }

    /** The pids in the {@code cgroup.procs} of each directory (gone directories hold none). */
    static Set<Long> procs(Collection<Path> dirs) {
        Set<Long> pids = new LinkedHashSet<>();
        for (Path dir : dirs) {
            try {
                for (String line : Files.readAllLines(dir.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.strip()));
                    }
                }
            } catch (NoSuchFileException e) {
                // removed
            } catch (IOException | NumberFormatException e) {
                throw new CgroupException(
                        ErrorCode.CGROUP_FAILED, "cannot list " + dir.resolve("cgroup.procs") + ": " + e, e);
            }
        }
        return pids;
    }

    /** SIGTERM to everything in {@code dirs}, then up to {@code grace} for it to exit. */
    static void signalAndWait(Collection<Path> dirs, java.time.Duration grace) {
        procs(dirs).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        long graceEnd = System.nanoTime() + grace.toNanos();
        while (!procs(dirs).isEmpty() && System.nanoTime() < graceEnd) {
            sleep();
        }
    }

    /**
     * SIGKILL until {@code dirs} hold no process (processes forked meanwhile included; the pids
     * limit bounds a fork bomb); fails after 5 s.
     */
    static void killUntilEmpty(Collection<Path> dirs) {
        long end = System.nanoTime() + KILL_WAIT_NANOS;
        Set<Long> left;
        while (!(left = procs(dirs)).isEmpty()) {
            if (System.nanoTime() > end) {
                throw new CgroupException(
                        ErrorCode.CGROUP_FAILED, "processes " + left + " survived SIGKILL in " + dirs);
            }
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            sleep();
        }
    }

    /** Removes group directories, retrying while the kernel still counts exiting tasks. */
    static void remove(List<Path> dirs) {
        List<Path> left = new ArrayList<>(dirs);
        long end = System.nanoTime() + KILL_WAIT_NANOS;
        while (!left.isEmpty()) {
            IOException last = null;
            for (Path dir : List.copyOf(left)) {
                try {
                    Files.deleteIfExists(dir);
                    left.remove(dir);
                } catch (IOException e) {
                    last = e;
                }
            }
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new CgroupException(ErrorCode.CGROUP_FAILED, "cannot remove " + left + ": " + last, last);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
