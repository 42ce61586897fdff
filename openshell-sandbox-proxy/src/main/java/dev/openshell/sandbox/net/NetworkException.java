package dev.openshell.sandbox.net;

/** A sandbox network could not be set up, torn down or inspected. */
public final class NetworkException extends RuntimeException {

    private final String code;

    public NetworkException(String code, String message) {
        super(message);
        this.code = code;
    }

    public NetworkException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * {@code network_command_failed} (an {@code ip}/{@code nft} command failed), {@code
     * network_unavailable} (not root, tools missing), {@code subnet_exhausted}, {@code
     * network_state_failed} (the claim directory), {@code sandbox_id_invalid} or {@code
     * original_destination_unavailable}.
     */
    public String code() {
        return code;
    }
}
