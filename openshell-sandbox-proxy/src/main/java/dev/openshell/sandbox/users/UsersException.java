package dev.openshell.sandbox.users;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;

/**
 * The agent's identity could not be claimed or resolved: {@code uid_exhausted}, {@code
 * uid_state_failed} (the claim directory), {@code process_user_unknown} (a name the host does not
 * know) or {@code process_user_reserved} (an explicit id inside the per-sandbox block).
 */
public final class UsersException extends SandboxException {

    public UsersException(ErrorCode code, String message) {
        super(code, message);
    }

    public UsersException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
