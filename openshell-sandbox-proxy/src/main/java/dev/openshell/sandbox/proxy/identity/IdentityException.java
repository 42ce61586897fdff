package dev.openshell.sandbox.proxy.identity;

import dev.openshell.sandbox.SandboxException;

/** The caller of a connection could not be identified or is not trusted. */
public final class IdentityException extends SandboxException {

    public IdentityException(String code, String message) {
        super(code, message);
    }

    public IdentityException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** {@code identity_unknown} or {@code binary_changed}. */
    @Override
    public String code() {
        return super.code();
    }
}
