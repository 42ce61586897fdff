package dev.openshell.gateway.token;

import dev.openshell.api.ApiException;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Page;
import dev.openshell.api.auth.ApiToken;
import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.api.auth.Scope;
import dev.openshell.gateway.auth.BearerTokens;
import dev.openshell.gateway.auth.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.springframework.stereotype.Service;

/**
 * API tokens: created with scopes and an expiry, the secret shown once and stored as a SHA-256
 * hash, revocable, {@code last_used_at} kept (at most one write a minute per token). Also mints
 * each sandbox's supervisor token, bound to that sandbox, which the API never lists.
 */
@Service
public class TokenService implements BearerTokens {

    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final TokenRepository tokens;
    private final Clock clock;

    TokenService(TokenRepository tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public ApiTokenCreated create(ApiTokenCreateRequest request) {
        request.validate();
        Instant now = clock.instant();
        String secret = TokenSecrets.newSecret();
        TokenRecord record = new TokenRecord(
                TokenSecrets.newId("tok-"),
                request.name(),
                request.scopes(),
                TokenSecrets.hash(secret),
                null,
                now,
                now.plus(request.effectiveLifetime()),
                null,
                null);
        tokens.insert(record);
        return new ApiTokenCreated(record.toApi(), secret);
    }

    public Page<ApiToken> list(String afterId, int size, Function<String, String> nextToken) {
        List<TokenRecord> rows = tokens.page(afterId, size + 1);
        boolean more = rows.size() > size;
        List<TokenRecord> page = more ? rows.subList(0, size) : rows;
        return new Page<>(
                page.stream().map(TokenRecord::toApi).toList(),
                more ? nextToken.apply(page.getLast().id()) : null);
    }

    public ApiToken get(String id) {
        return tokens.byId(id)
                .map(TokenRecord::toApi)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no API token " + id));
    }

    /** Revokes; a token already revoked or unknown answers {@code already_absent}. */
    public DeleteResult revoke(String id) {
        return tokens.revoke(id, clock.instant()) ? DeleteResult.deleted(id) : DeleteResult.alreadyAbsent(id);
    }

    /** A new supervisor token for {@code sandboxId}; the secret goes to the sandbox's workload only. */
    public String mintSupervisorToken(String sandboxId) {
        String secret = TokenSecrets.newSecret();
        tokens.insert(new TokenRecord(
                TokenSecrets.newId("sup-"),
                null,
                List.of(),
                TokenSecrets.hash(secret),
                sandboxId,
                clock.instant(),
                null,
                null,
                null));
        return secret;
    }

    public void deleteSupervisorTokens(String sandboxId) {
        tokens.deleteForSandbox(sandboxId);
    }

    @Override
    public Outcome authenticate(String secret) {
        if (!secret.startsWith(TokenSecrets.PREFIX)) {
            return new Outcome.Refused();
        }
        String hash = TokenSecrets.hash(secret);
        var found = tokens.byHash(hash);
        if (found.isEmpty() || !TokenSecrets.sameHash(found.get().secretHash(), hash)) {
            return new Outcome.Refused();
        }
        TokenRecord token = found.get();
        Instant now = clock.instant();
        if (token.revokedAt() != null) {
            return new Outcome.Refused();
        }
        if (token.expiresAt() != null && !now.isBefore(token.expiresAt())) {
            return new Outcome.Expired();
        }
        if (token.lastUsedAt() == null || token.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
            tokens.touch(token.id(), now);
        }
        if (token.sandboxId() != null) {
            return new Outcome.Valid(
                    new Caller("supervisor:" + token.id(), Caller.Kind.SUPERVISOR, Set.of(), token.sandboxId()));
        }
        return new Outcome.Valid(
                new Caller("token:" + token.id(), Caller.Kind.TOKEN, Set.copyOf(token.scopes()), null));
    }

    static boolean isAdmin(List<Scope> scopes) {
        return scopes.contains(Scope.ADMIN);
    }
}
