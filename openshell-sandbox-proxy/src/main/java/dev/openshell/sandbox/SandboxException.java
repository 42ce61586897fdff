package dev.openshell.sandbox;

/**
 * A sandbox cannot be specified, started, reloaded or reached. Unchecked, with a stable code the
 * CLI maps to a one-line message (e.g. {@code spec_invalid}, {@code not_root}, {@code
 * landlock_path_missing}, {@code start_failed}, {@code control_unreachable}). The launcher,
 * network, SSH and caller-identity layers throw subclasses with codes of their own.
 */
public class SandboxException extends RuntimeException {

    private final String code;

    public SandboxException(String code, String message) {
        super(message);
        this.code = code;
    }

    public SandboxException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A stable, machine-readable code. */
    public String code() {
        return code;
    }
}
