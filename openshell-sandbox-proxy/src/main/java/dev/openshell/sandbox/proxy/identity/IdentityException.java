package dev.openshell.sandbox.proxy.identity;

/** The caller of a connection could not be identified or is not trusted. */
public final class IdentityException extends RuntimeException {

    private final String code;

    public IdentityException(String code, String message) {
        super(message);
        this.code = code;
    }

    public IdentityException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** {@code identity_unknown} or {@code binary_changed}. */
    public String code() {
        return code;
    }
}
