package dev.openshell.sandbox.ssh;

import dev.openshell.sandbox.SandboxException;

/** The sandbox SSH server or client failed; {@link #code()} says how. */
public final class SshException extends SandboxException {

    public SshException(String code, String message) {
        super(code, message);
    }

    public SshException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * {@code ssh_server_failed}, {@code ssh_endpoint_invalid}, {@code ssh_connect_failed},
     * {@code ssh_auth_failed}, {@code ssh_exec_failed}, {@code ssh_transfer_failed} or
     * {@code ssh_forward_failed}.
     */
    @Override
    public String code() {
        return super.code();
    }
}
