package dev.openshell.sandbox.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The processes a launch with a PID namespace leaves (see {@code init.c} of the launcher), as the
 * host sees them: the launcher the supervisor started stays outside as a relay; its only child is
 * the sandbox's init (pid 1 inside); the init's child that is pid 2 inside is the agent.
 *
 * @param initPid the init's host pid: SSH sessions join its namespaces
 * @param agentPid the agent's host pid: the root of the process tree callers are looked up in
 */
public record SandboxInit(long initPid, long agentPid) {

    private static final Path PROC = Path.of("/proc");

    /**
     * Waits (up to {@code timeout}) until the launcher has forked the init and the init the agent;
     * empty when the launcher exits first (a setup failure, or an agent that already ended).
     */
    public static Optional<SandboxInit> locate(ProcessHandle launcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (launcher.isAlive() && System.nanoTime() < deadline) {
            Optional<SandboxInit> found = find(launcher.pid());
            if (found.isPresent()) {
                return found;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<SandboxInit> find(long launcher) {
        for (long init : children(launcher)) {
            if (namespacePid(init) != 1) {
                continue;
            }
            for (long child : children(init)) {
                if (namespacePid(child) == 2) {
                    return Optional.of(new SandboxInit(init, child));
                }
            }
        }
        return Optional.empty();
    }

    private static long[] children(long pid) {
        try {
            String text = Files.readString(PROC.resolve(pid + "/task/" + pid + "/children"))
                    .strip();
            if (text.isEmpty()) {
                return new long[0];
            }
            String[] parts = text.split(" ");
            long[] pids = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                pids[i] = Long.parseLong(parts[i]);
            }
            return pids;
        } catch (IOException | NumberFormatException e) {
            return new long[0];
        }
    }

    /** The process's pid in its own (innermost) PID namespace, or -1. */
    private static long namespacePid(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] ids = line.substring("NSpid:".length()).strip().split("\\s+");
                    return Long.parseLong(ids[ids.length - 1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone meanwhile
        }
        return -1;
    }
}
