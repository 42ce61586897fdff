package dev.openshell.sandbox.supervisor;

/** Where the agent's standard streams go. */
public enum AgentConsole {
    /**
     * The supervisor's own stdin, stdout and stderr, terminal included ({@code --tty}); the agent's
     * output is then not in the sandbox log.
     */
    TERMINAL,
    /**
     * stdin from the supervisor; stdout and stderr into the sandbox log and, as they arrive, to
     * the supervisor's stdout and stderr ({@code openshell run} without {@code --tty}).
     */
    STREAMED,
    /** stdin empty; stdout and stderr into the sandbox log only (a background sandbox). */
    LOGGED
}
