package dev.openshell.sandbox.supervisor;

import java.util.List;
import java.util.Locale;

/**
 * The final status a teardown records, from what it found: the agent's end (if one was launched),
 * a limit hit, the phase asked for, and the undo steps that failed (a teardown that left
 * something behind ends in {@code Error}, never in {@code Stopped}).
 */
final class SandboxEnd {

    /**
     * How the agent ended.
     *
     * @param exitCode the launcher's exit code
     * @param limitReason the limit that ended the sandbox, or null
     */
    record Agent(int exitCode, String limitReason) {}

    private SandboxEnd() {}

    /**
     * @param agent null when no agent was launched
     * @param stopRequested whether the supervisor stopped the agent (rather than it exiting)
     */
    static SandboxStatus finalStatus(
            SandboxStatus current,
            SandboxPhase phase,
            String reason,
            Agent agent,
            boolean stopRequested,
            List<UndoStack.Failure> failures) {
        SandboxStatus last = current;
        String limitReason = agent == null ? null : agent.limitReason();
        if (agent != null) {
            int exitCode = agent.exitCode();
            if (limitReason != null && exitCode < 128) {
                // The limit ended the sandbox even when the agent gave up by itself first (a shell
                // exits 2 on a refused fork before the watcher's next poll): say so as a kill would.
                exitCode = 128 + 9;
            }
            last = last.withExit(
                    exitCode, limitReason != null ? limitReason : AgentExit.reason(exitCode, stopRequested));
        }
        if (limitReason != null && reason == null) {
            reason = limitReason;
        }
        if (!failures.isEmpty() && phase == SandboxPhase.STOPPED) {
            phase = SandboxPhase.ERROR;
            reason = "teardown incomplete: " + failures.getFirst().describe();
        }
        return last.withPhase(phase, reason);
    }

    /** The sandbox log's last line: {@code stopped; agent exited, exit code 0}. */
    static String event(SandboxStatus last) {
        return last.phase().display().toLowerCase(Locale.ROOT)
                + (last.reason() == null ? "" : ": " + last.reason())
                + (last.exitCode() == null ? "" : "; agent " + last.exitReason() + ", exit code " + last.exitCode());
    }
}
