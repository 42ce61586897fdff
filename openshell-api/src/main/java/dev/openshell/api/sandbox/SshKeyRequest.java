package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.validation.Violations;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Asks for SSH access to a sandbox ({@code POST /api/v1/sandboxes/{name}/ssh/authorized-keys}): the
 * sandbox's SSH server lets a client with this public key in until the sandbox stops. Only the
 * public key travels; the private key never leaves the client.
 *
 * @param publicKey one OpenSSH public key line ({@code ssh-ed25519 AAAA... comment})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SshKeyRequest(String publicKey) {

    public static final int MAX_LENGTH = 16 * 1024;

    public void validate() {
        Violations v = new Violations();
        if (publicKey == null || publicKey.isBlank()) {
            v.add("public_key", "give an OpenSSH public key line (the contents of ~/.ssh/id_ed25519.pub)");
        } else if (publicKey.length() > MAX_LENGTH) {
            v.add("public_key", publicKey.length() + " characters; at most " + MAX_LENGTH);
        } else if (publicKey.strip().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            v.add("public_key", "one line of printable text");
        } else if (!publicKey.strip().matches("(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/=]+( .*)?")) {
            v.add("public_key", "not an OpenSSH public key line (type, base64 key, optional comment)");
        }
        v.throwIfAny();
    }
}
