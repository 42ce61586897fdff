package dev.openshell.sandbox.launch;

import dev.openshell.sandbox.SandboxException;

/** The agent cannot be launched: no launcher binary, an invalid spec, or no sandbox user. */
public final class LaunchException extends SandboxException {

    public LaunchException(String code, String message) {
        super(code, message);
    }

    public LaunchException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** {@code launcher_unavailable}, {@code launch_spec_invalid} or {@code sandbox_user_failed}. */
    @Override
    public String code() {
        return super.code();
    }
}
