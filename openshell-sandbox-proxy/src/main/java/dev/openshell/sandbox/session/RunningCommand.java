package dev.openshell.sandbox.session;

import dev.openshell.api.session.ExecSignalName;

/** A command a gateway session started: with pipes ({@link SessionExec}) or a terminal ({@link SessionTerminal}). */
interface RunningCommand {

    /** Feeds stdin; {@code eof} closes it. */
    void input(byte[] data, boolean eof);

    /** The terminal's new size; nothing without a terminal. */
    default void resize(int columns, int rows) {}

    /**
     * Delivers {@code signal}: to the command's process, or with a terminal to its foreground
     * process group.
     */
    void signal(ExecSignalName signal);

    /** Kills the command and what it started. */
    void kill();

    /** Whether it ended (its exit frame is sent). */
    boolean finished();
}
