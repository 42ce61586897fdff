package dev.openshell.cli;

/** The exit codes every {@code openshell} command uses. */
public final class ExitCodes {

    /** Success; for {@code policy check}: allowed (also audit-allowed). */
    public static final int OK = 0;

    /** {@code policy check}: the policy denies the connection or request. */
    public static final int DENIED = 1;

    /** Invalid input: unknown option, bad value, unreadable or invalid policy file. */
    public static final int INVALID_INPUT = 2;

    /** A bug or an unexpected failure (sysexits {@code EX_SOFTWARE}); {@code --debug} shows why. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {}
}
