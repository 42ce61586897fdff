package dev.openshell.sandbox.supervisor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes inside one network namespace, found by the namespace's inode in {@code
 * /proc/<pid>/ns/net}. Every process of a sandbox (the agent, whatever it forks, SSH sessions)
 * enters that namespace through the launcher, and none can leave it (seccomp forbids {@code
 * setns}/{@code unshare} of the network), so this is the sandbox's complete process set even after
 * a double fork, and even after its supervisor died.
 */
public final class NamespaceProcesses {

    private static final Path PROC = Path.of("/proc");
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private NamespaceProcesses() {}

    /** The inode of a namespace file ({@code /var/run/netns/NAME} or {@code /proc/PID/ns/net}). */
    public static long inode(Path namespaceFile) {
        try {
            return ((Number) Files.getAttribute(namespaceFile, "unix:ino")).longValue();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The pids in the namespace with this inode, never this process. */
    public static List<Long> pids(long namespaceInode) {
        List<Long> pids = new ArrayList<>();
        if (namespaceInode == 0) {
            return pids;
        }
        String wanted = "net:[" + namespaceInode + "]";
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    if (wanted.equals(
                            Files.readSymbolicLink(entry.resolve("ns/net")).toString())) {
                        long pid = Long.parseLong(entry.getFileName().toString());
                        if (pid != self) {
                            pids.add(pid);
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // gone meanwhile, or a kernel thread
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    /**
     * Asks a sandbox to stop: SIGTERM to its launcher only (the relay forwards it to the init, which
     * forwards it to the agent and, once the agent has gone, asks every other process of the
     * sandbox to stop), then up to {@code grace} for the namespace to empty. One SIGTERM reaches
     * the agent, not one from here plus one from each process in between. What is left is the
     * caller's to kill.
     *
     * @param launcherPid the launcher the supervisor started; 0 when none was
     */
    public static void askToStop(long launcherPid, long namespaceInode, Duration grace) {
        if (launcherPid > 0
                && ProcessHandle.of(launcherPid).map(ProcessHandle::destroy).orElse(false)) {
            long graceEnd = System.nanoTime() + grace.toNanos();
            while (!pids(namespaceInode).isEmpty() && System.nanoTime() < graceEnd) {
                sleep(20);
            }
        }
    }

    /**
     * Ends every process in the namespace: SIGTERM, up to {@code grace} to exit, then SIGKILL until
     * none is left (processes forked meanwhile included).
     *
     * @return how many processes were signalled
     */
    public static int killAll(long namespaceInode, Duration grace) {
        List<Long> first = pids(namespaceInode);
        first.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        long graceEnd = System.nanoTime() + grace.toNanos();
        while (!pids(namespaceInode).isEmpty() && System.nanoTime() < graceEnd) {
            sleep(20);
        }
        int signalled = first.size();
        long killEnd = System.nanoTime() + KILL_WAIT.toNanos();
        List<Long> left;
        while (!(left = pids(namespaceInode)).isEmpty()) {
            if (System.nanoTime() > killEnd) {
                throw new IllegalStateException("processes " + left + " survived SIGKILL for " + KILL_WAIT);
            }
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            signalled += left.size();
            sleep(20);
        }
        return signalled;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
