package dev.openshell.sandbox.proxy.identity;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;

/** The caller of a connection could not be identified or is not trusted. */
public final class IdentityException extends SandboxException {

    public IdentityException(ErrorCode code, String message) {
        super(code, message);
    }

    public IdentityException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /** {@code identity_unknown} or {@code binary_changed}. */
    @Override
    public ErrorCode code() {
        return super.code();
    }
}
