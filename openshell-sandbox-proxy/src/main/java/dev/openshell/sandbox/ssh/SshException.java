package dev.openshell.sandbox.ssh;

/** The sandbox SSH server or client failed; {@link #code()} says how. */
public final class SshException extends RuntimeException {

    private final String code;

    public SshException(String code, String message) {
        super(message);
        this.code = code;
    }

    public SshException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * {@code ssh_server_failed}, {@code ssh_endpoint_invalid}, {@code ssh_connect_failed},
     * {@code ssh_auth_failed}, {@code ssh_exec_failed}, {@code ssh_transfer_failed} or
     * {@code ssh_forward_failed}.
     */
    public String code() {
        return code;
    }
}
