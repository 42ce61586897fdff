package dev.openshell.sandbox.launch;

/** The agent cannot be launched: no launcher binary, an invalid spec, or no sandbox user. */
public final class LaunchException extends RuntimeException {

    private final String code;

    public LaunchException(String code, String message) {
        super(message);
        this.code = code;
    }

    public LaunchException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** {@code launcher_unavailable}, {@code launch_spec_invalid} or {@code sandbox_user_failed}. */
    public String code() {
        return code;
    }
}
