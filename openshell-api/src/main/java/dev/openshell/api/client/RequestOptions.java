package dev.openshell.api.client;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiHeaders;
import java.time.Duration;
import java.util.UUID;

/**
 * Per-request options: an {@code Idempotency-Key} (creates: a retry with the same key returns the
 * first result), an {@code If-Match} resource version (writes: 412 if it changed meanwhile), a
 * timeout other than the client's.
 *
 * @param idempotencyKey absent: none sent
 * @param ifMatch the {@code resource_version} the write is based on; absent: none sent
 * @param timeout absent: the client's request timeout
 */
public record RequestOptions(String idempotencyKey, String ifMatch, Duration timeout) {

    public static final RequestOptions NONE = new RequestOptions(null, null, null);

    public RequestOptions {
        if (idempotencyKey != null) {
            ApiHeaders.idempotencyKeyViolation(idempotencyKey).ifPresent(why -> {
                throw ApiException.invalid(ApiHeaders.IDEMPOTENCY_KEY, why);
            });
        }
        if (ifMatch != null) {
            ApiHeaders.entityTag(ifMatch); // validates
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** Options with a fresh random idempotency key; keep them to retry the same request. */
    public static RequestOptions idempotent() {
        return NONE.withIdempotencyKey(UUID.randomUUID().toString());
    }

    public static RequestOptions ifMatch(String resourceVersion) {
        return NONE.withIfMatch(resourceVersion);
    }

    public RequestOptions withIdempotencyKey(String key) {
        return new RequestOptions(key, ifMatch, timeout);
    }

    public RequestOptions withIfMatch(String resourceVersion) {
        return new RequestOptions(idempotencyKey, resourceVersion, timeout);
    }

    public RequestOptions withTimeout(Duration timeout) {
        return new RequestOptions(idempotencyKey, ifMatch, timeout);
    }
}
