package dev.openshell.gateway.compute;

import java.time.Duration;
import java.util.List;

/**
 * A command to run in a sandbox.
 *
 * @param stdin fed to the command, then end-of-file; empty: none
 * @param timeout when the command is killed (exit 124, {@code timedOut})
 */
public record ExecCommand(List<String> argv, byte[] stdin, Duration timeout) {

    public ExecCommand {
        argv = List.copyOf(argv);
        stdin = stdin == null ? new byte[0] : stdin.clone();
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }
}
