package dev.openshell.sandbox.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Signals a root supervisor sends on a client's behalf, never to a recycled pid: each target is
 * first pinned with a pidfd, then checked, then signalled through the pidfd, so a process that
 * exited meanwhile is skipped instead of its pid's next owner being hit.
 */
public final class ProcessSignals {

    private static final Path PROC = Path.of("/proc");

    private ProcessSignals() {}

    /**
     * Signals {@code child}, a process this JVM started; false when it has exited. The JDK reaps a
     * child only once it exited, so while {@link Process#isAlive} still holds after the pidfd is
     * open, the pidfd names this child and not a later owner of its pid.
     */
    public static boolean toChild(Process child, int signal) {
        OptionalInt fd = Libc.pidfdOpen(child.pid());
        if (fd.isEmpty()) {
            return false;
        }
        try {
            return child.isAlive() && Libc.pidfdSendSignal(fd.getAsInt(), signal);
        } finally {
            Libc.close(fd.getAsInt());
        }
    }

    /**
     * Signals every process of process group {@code group} in session {@code session} (pids of
     * this PID namespace); returns how many. A process is counted only if, with its pidfd open,
     * {@code /proc} still shows it in that group and session: a pid recycled between the look and
     * the signal has a pidfd of its own, so the one opened names the process looked at, or none
     * alive.
     */
    public static int toGroupInSession(long group, long session, int signal) throws IOException {
        if (group <= 1 || session <= 1) {
            return 0;
        }
        int signalled = 0;
        try (DirectoryStream<Path> entries =
                Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                OptionalInt fd = Libc.pidfdOpen(pid);
                if (fd.isEmpty()) {
                    continue;
                }
                try {
                    long[] ids = groupAndSession(entry);
                    if (ids != null
                            && ids[0] == group
                            && ids[1] == session
                            && Libc.pidfdSendSignal(fd.getAsInt(), signal)) {
                        signalled++;
                    }
                } finally {
                    Libc.close(fd.getAsInt());
                }
            }
        }
        return signalled;
    }

    /** Fields 5 and 6 of {@code /proc/<pid>/stat} (after the name, which may hold spaces and parentheses). */
    private static long[] groupAndSession(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 5);
            return new long[] {Long.parseLong(fields[2]), Long.parseLong(fields[3])};
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
