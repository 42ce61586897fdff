package dev.openshell.api;

/**
 * The exit statuses of the {@code openshell} command, one per kind of outcome. Every {@link
 * ErrorCode} maps to one of them, so scripts can branch on the kind of failure without parsing
 * messages. {@code exec} and {@code run} exit with the agent's own status instead when the agent ran.
 */
public enum ExitStatus {
    /** Success; for {@code policy check}: allowed; for {@code policy set --wait}: loaded. */
    OK(0),
    /** A policy said no: the request is denied, or the sandbox rejected a policy revision. */
    DENIED(1),
    /** Invalid input: usage error, bad value, invalid or unreadable policy, unknown field. */
    USAGE(2),
    /** The named sandbox, provider, token or revision does not exist. */
    NOT_FOUND(3),
    /** The write conflicts with the current state: it exists, it changed meanwhile, or it is not ready. */
    CONFLICT(4),
    /** Authentication or trust failed, or the credentials lack the scope. */
    NOT_PERMITTED(5),
    /** The gateway or an upstream cannot serve the request now; retrying later may work (sysexits EX_UNAVAILABLE). */
    UNAVAILABLE(69),
    /** A bug or an unexpected failure (sysexits EX_SOFTWARE); {@code --debug} shows why. */
    INTERNAL(70),
    /** A wait or request timed out (as {@code timeout(1)} reports it). */
    TIMEOUT(124),
    /** The sandbox could not be created, started or run (as {@code docker run} reports its own failures). */
    SANDBOX_FAILED(125);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
