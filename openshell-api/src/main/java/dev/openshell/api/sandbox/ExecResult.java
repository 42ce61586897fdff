package dev.openshell.api.sandbox;

/**
 * What a command run with {@link ExecRequest} did.
 *
 * @param exitCode its exit status (128 + signal number when a signal ended it; 124 when it timed out)
 * @param timedOut whether it was killed because its timeout passed
 */
public record ExecResult(String stdout, String stderr, int exitCode, boolean timedOut) {

    public ExecResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }
}
