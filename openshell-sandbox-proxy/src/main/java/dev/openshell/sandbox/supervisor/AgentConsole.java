package dev.openshell.sandbox.supervisor;

/** Where the agent's standard streams go. */
public enum AgentConsole {
    /**
     * The supervisor's own stdin, stdout and stderr, whatever they are (a terminal, a pipe, a
     * file), handed to the agent: no copy, so output is as fast as outside, a closed reader gives
     * the agent SIGPIPE and stdin's end reaches it; the agent's output is not in the sandbox log
     * ({@code openshell run}, with or without {@code --tty}).
     */
    TERMINAL,
    /**
     * stdin from the supervisor; stdout and stderr copied, in large chunks as they arrive, to the
     * supervisor's stdout and stderr and into the sandbox log ({@code openshell run --log FILE}).
     * When the supervisor's stdout or stderr is closed, the copy stops and the agent's pipe is
     * closed, so the agent gets SIGPIPE as it would outside.
     */
    STREAMED,
    /** stdin empty; stdout and stderr into the sandbox log only (a background sandbox). */
    LOGGED
}
