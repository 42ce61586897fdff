package dev.openshell.sandbox.net;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;

/** A sandbox network could not be set up, torn down or inspected. */
public final class NetworkException extends SandboxException {

    public NetworkException(ErrorCode code, String message) {
        super(code, message);
    }

    public NetworkException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * {@code network_command_failed} (an {@code ip}/{@code nft} command failed), {@code
     * network_unavailable} (not root, tools missing), {@code subnet_exhausted}, {@code
     * network_state_failed} (the claim directory), {@code sandbox_id_invalid} or {@code
     * original_destination_unavailable}.
     */
    @Override
    public ErrorCode code() {
        return super.code();
    }
}
