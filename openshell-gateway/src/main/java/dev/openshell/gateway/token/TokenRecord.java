package dev.openshell.gateway.token;

import dev.openshell.api.auth.ApiToken;
import dev.openshell.api.auth.Scope;
import java.time.Instant;
import java.util.List;

/** A stored token: the API shape plus its secret's hash and, for a supervisor token, its sandbox. */
record TokenRecord(
        String id,
        String name,
        List<Scope> scopes,
        String secretHash,
        String sandboxId,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt) {

    ApiToken toApi() {
        return new ApiToken(id, name, scopes, createdAt, expiresAt, lastUsedAt, revokedAt);
    }
}
