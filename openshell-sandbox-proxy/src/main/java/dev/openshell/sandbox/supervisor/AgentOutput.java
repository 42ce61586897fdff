package dev.openshell.sandbox.supervisor;

import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent's stdout and stderr, pumped into the sandbox log (and copied to the terminal when
 * {@link AgentConsole#STREAMED}); the launcher's last error line on stderr says why a start failed
 * in the launcher.
 */
final class AgentOutput {

    private static final String LAUNCHER = "openshell-launch: ";

    private final List<Thread> pumps = new CopyOnWriteArrayList<>();
    private volatile String launcherError;

    /** Starts the pumps, unless the agent has the terminal itself. */
    void pump(Process agent, SandboxLog log, SupervisorOptions options) {
        if (options.console() != AgentConsole.TERMINAL) {
            pumps.add(log.pump("stdout", agent.getInputStream(), mirror(options, options.terminalOut()), line -> {}));
            pumps.add(log.pump("stderr", agent.getErrorStream(), mirror(options, options.terminalErr()), this::watch));
        }
    }

    /** The launcher's error, if it reported one; null otherwise. */
    String launcherError() {
        return launcherError;
    }

    /** Waits briefly for the pumps to drain what the agent wrote last. */
    void drain() {
        pumps.forEach(TeardownSteps::joinQuietly);
    }

    private void watch(String line) {
        if (line.startsWith(LAUNCHER) && !line.startsWith(LAUNCHER + "warning:")) {
            launcherError = line.substring(LAUNCHER.length());
        }
    }

    private static OutputStream mirror(SupervisorOptions options, OutputStream out) {
        return options.console() == AgentConsole.STREAMED ? out : null;
    }
}
