package dev.openshell.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The answer to a token create: the token and, this once, its secret (the value to send as {@code
 * Authorization: Bearer}). The gateway keeps only a hash, so the secret cannot be shown again.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiTokenCreated(ApiToken token, String secret) {

    /** The secret is left out: this is printed in logs. */
    @Override
    public String toString() {
        return "ApiTokenCreated[token=" + token + ", secret=(redacted)]";
    }
}
