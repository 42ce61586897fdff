package dev.openshell.api.client;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.auth.ApiToken;
import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import java.util.Map;
import java.util.stream.Stream;

/** The API token calls of a {@link GatewayClient} ({@code openshell gateway token ...}). */
public final class TokensClient {

    private final GatewayClient client;

    TokensClient(GatewayClient client) {
        this.client = client;
    }

    /** Creates a token; the answer holds its secret, which cannot be fetched again. */
    public ApiTokenCreated create(ApiTokenCreateRequest request, RequestOptions options) {
        return client.post(ApiPaths.TOKENS, request, ApiTokenCreated.class, options);
    }

    public Stream<ApiToken> list() {
        return client.listAll(ApiPaths.TOKENS, Map.of(), ApiToken.class);
    }

    /** Revokes the token; revoking one that is gone answers {@code already_absent}. */
    public DeleteResult revoke(String id) {
        return client.delete(ApiPaths.token(id), RequestOptions.NONE);
    }
}
