package dev.openshell.sandbox.linux;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;

/** A Linux call failed in a way the caller has to handle (e.g. no conntrack entry for a socket). */
public final class SyscallException extends SandboxException {

    public SyscallException(ErrorCode code, String message) {
        super(code, message);
    }

    public SyscallException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
