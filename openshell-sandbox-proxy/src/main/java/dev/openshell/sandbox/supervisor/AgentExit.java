package dev.openshell.sandbox.supervisor;

import java.util.concurrent.TimeUnit;

/** The agent's end as the status records it: its exit code, and how it came about. */
final class AgentExit {

    private AgentExit() {}

    /** Waits for the agent (already signalled), SIGKILL after 10 s; its exit code, 137 if it never ended. */
    static int await(Process agent) {
        try {
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
                agent.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return agent.isAlive() ? 137 : agent.exitValue();
    }

    /** {@code exited}, {@code exited with status 137 (signal 9 if killed)} or {@code stopped by the supervisor}. */
    static String reason(int code, boolean stopRequested) {
        if (stopRequested) {
            return "stopped by the supervisor";
        }
        if (code > 128 && code < 128 + 65) {
            return "exited with status " + code + " (signal " + (code - 128) + " if killed)";
        }
        return "exited";
    }

    /**
     * Why the sandbox's start failed in the launcher, judging by how the launcher exited; null for
     * an agent's own exit (or one the supervisor asked for).
     *
     * @param launcherError the launcher's error line, or null
     * @param silentLauncher the launcher writes to the terminal (its message is there, not here)
     *     and the agent never forked
     */
    static String setupFailure(int code, boolean stopRequested, String launcherError, boolean silentLauncher) {
        if (stopRequested) {
            return null;
        }
        if (launcherError != null && code >= 125 && code <= 127) {
            return "sandbox setup failed: " + launcherError;
        }
        if (code == 125 && silentLauncher) {
            return "sandbox setup failed (the launcher's message is above)";
        }
        return null;
    }
}
