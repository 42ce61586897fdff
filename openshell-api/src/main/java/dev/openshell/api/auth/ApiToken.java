package dev.openshell.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * An API token as the gateway reports it: never its secret (the gateway stores only a hash; the
 * secret is shown once, in {@link ApiTokenCreated}).
 *
 * @param scopes what it may do; a scope this version does not know is left out
 * @param revokedAt when it was revoked; absent while it is valid
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiToken(
        String id,
        String name,
        List<Scope> scopes,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    public ApiToken {
        scopes = scopes == null
                ? List.of()
                : scopes.stream().filter(Objects::nonNull).toList();
    }

    /** Whether the token may be used at {@code now}. */
    public boolean isValidAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
