package dev.openshell.sandbox.error;

import dev.openshell.api.ErrorCode;

/**
 * A sandbox cannot be specified, started, reloaded or reached. Unchecked, with an {@link
 * ErrorCode} the CLI maps to a one-line message, a hint and an exit status (e.g. {@code
 * spec_invalid}, {@code not_root}, {@code landlock_path_missing}, {@code start_failed}, {@code
 * control_unreachable}). The launcher, network, SSH, cgroup, users and caller-identity layers
 * throw subclasses with codes of their own.
 */
public class SandboxException extends RuntimeException {

    private final ErrorCode code;

    public SandboxException(ErrorCode code, String message) {
        super(message);
        this.code = java.util.Objects.requireNonNull(code, "code");
    }

    public SandboxException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = java.util.Objects.requireNonNull(code, "code");
    }

    /** What went wrong, as the API and the CLI name it. */
    public ErrorCode code() {
        return code;
    }
}
