package dev.openshell.api;

/**
 * The exit statuses of the {@code openshell} command, one per kind of outcome. Every {@link
 * ErrorCode} maps to one of them, so scripts can branch on the kind of failure without parsing
 * messages. {@code exec} and {@code run} exit with the agent's own status instead when the agent ran.
 */
public enum ExitStatus {
    OK(0, "Success; for policy check: allowed; for policy set --wait: loaded."),
    DENIED(1, "A policy said no: the request is denied, or the sandbox rejected a policy revision."),
    USAGE(2, "Invalid input: usage error, bad value, invalid or unreadable policy, unknown field."),
    NOT_FOUND(3, "The named sandbox, provider, token or revision does not exist."),
    CONFLICT(4, "The write conflicts with the current state: it exists, it changed meanwhile, or it is not ready."),
    NOT_PERMITTED(5, "Authentication or trust failed, or the credentials lack the scope."),
    UNAVAILABLE(
            69,
            "The gateway or an upstream cannot serve the request now; retrying later may work (sysexits EX_UNAVAILABLE)."),
    INTERNAL(70, "A bug or an unexpected failure (sysexits EX_SOFTWARE); --debug shows why."),
    TIMEOUT(124, "A wait or request timed out (as timeout(1) reports it)."),
    SANDBOX_FAILED(125, "The sandbox could not be created, started or run (as docker run reports its own failures).");

    private final int code;
    private final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** What the status tells a script, one line. */
    public String meaning() {
        return meaning;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
