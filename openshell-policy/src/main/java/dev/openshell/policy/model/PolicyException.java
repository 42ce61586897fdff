package dev.openshell.policy.model;

/** Base of the policy module's unchecked exceptions; carries a stable error code. */
public class PolicyException extends RuntimeException {

    private final String code;

    public PolicyException(String code, String message) {
        super(message);
        this.code = code;
    }

    public PolicyException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** A stable, machine-readable code such as {@code policy_invalid}. */
    public String code() {
        return code;
    }
}
