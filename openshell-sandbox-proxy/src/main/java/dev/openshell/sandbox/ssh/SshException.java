package dev.openshell.sandbox.ssh;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;

/** The sandbox SSH server or client failed; {@link #code()} says how. */
public final class SshException extends SandboxException {

    public SshException(ErrorCode code, String message) {
        super(code, message);
    }

    public SshException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * {@code ssh_server_failed}, {@code ssh_endpoint_invalid}, {@code ssh_connect_failed},
     * {@code ssh_auth_failed}, {@code ssh_exec_failed}, {@code ssh_transfer_failed} or
     * {@code ssh_forward_failed}.
     */
    @Override
    public ErrorCode code() {
        return super.code();
    }
}
