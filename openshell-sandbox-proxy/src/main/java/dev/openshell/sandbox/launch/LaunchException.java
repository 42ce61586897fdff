package dev.openshell.sandbox.launch;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;

/** The agent cannot be launched: no launcher binary, an invalid spec, or no sandbox user. */
public final class LaunchException extends SandboxException {

    public LaunchException(ErrorCode code, String message) {
        super(code, message);
    }

    public LaunchException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** {@code launcher_unavailable}, {@code launch_spec_invalid} or {@code sandbox_user_failed}. */
    @Override
    public ErrorCode code() {
        return super.code();
    }
}
