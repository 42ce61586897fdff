package dev.openshell.api;

import java.util.Optional;

/**
 * The HTTP headers of the API's conventions, and their value rules. {@code resource_version} goes
 * into {@code ETag} and {@code If-Match} as a strong entity tag ({@code "42"}); a mismatch is a 412
 * {@code precondition_failed}. {@code Idempotency-Key} on a create makes a retry return the first
 * result instead of creating twice.
 */
public final class ApiHeaders {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String IF_MATCH = "If-Match";
    public static final String ETAG = "ETag";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String AUTHORIZATION = "Authorization";

    /** The longest idempotency key or resource version accepted. */
    public static final int MAX_TOKEN_LENGTH = 255;

    private ApiHeaders() {}

    /** {@code resourceVersion} as a strong entity tag: {@code "42"}. */
    public static String entityTag(String resourceVersion) {
        violation("resource version", resourceVersion).ifPresent(why -> {
            throw ApiException.invalid("resource_version", why);
        });
        return '"' + resourceVersion + '"';
    }

    /** The resource version an {@code If-Match} or {@code ETag} value names, or empty for {@code *} or a malformed tag. */
    public static Optional<String> resourceVersion(String entityTag) {
        if (entityTag == null) {
            return Optional.empty();
        }
        String tag = entityTag.strip();
        if (tag.length() < 2 || tag.charAt(0) != '"' || tag.charAt(tag.length() - 1) != '"') {
            return Optional.empty();
        }
        String version = tag.substring(1, tag.length() - 1);
        return violation("resource version", version).isPresent() ? Optional.empty() : Optional.of(version);
    }

    /** What is wrong with an idempotency key, or empty: 1 to 255 visible ASCII characters. */
    public static Optional<String> idempotencyKeyViolation(String key) {
        return violation("Idempotency-Key", key);
    }

    private static Optional<String> violation(String what, String value) {
        if (value == null || value.isEmpty()) {
            return Optional.of(what + " must not be empty");
        }
        if (value.length() > MAX_TOKEN_LENGTH) {
            return Optional.of(what + " is " + value.length() + " characters long; at most " + MAX_TOKEN_LENGTH);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"') {
                return Optional.of(
                        what + " " + SafeText.quote(value) + " may hold only visible ASCII characters other than '\"'");
            }
        }
        return Optional.empty();
    }
}
