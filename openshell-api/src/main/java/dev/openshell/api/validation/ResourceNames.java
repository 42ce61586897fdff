package dev.openshell.api.validation;

import dev.openshell.api.ApiException;
import dev.openshell.api.SafeText;
import java.util.Optional;

/**
 * Names of sandboxes, providers and inference routes: DNS labels (RFC 1123), so one name works
 * as a Kubernetes object name, a host name and a path segment without escaping: 1 to 63
 * characters, lower-case ASCII letters, digits and {@code -}, starting and ending with a letter or
 * digit.
 */
public final class ResourceNames {

    public static final int MAX_LENGTH = 63;

    private ResourceNames() {}

    /** What is wrong with {@code name}, or empty when it is a valid name. */
    public static Optional<String> violation(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of(SafeText.quote(name) + " is " + name.length() + " characters long; at most " + MAX_LENGTH
                    + " are allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return Optional.of(SafeText.quote(name) + " has upper-case letters; names are lower case");
            }
            if (!isLowerAlnum(c) && c != '-') {
                return Optional.of(SafeText.quote(name) + " has " + SafeText.quote(String.valueOf(c)) + " at position "
                        + (i + 1) + "; use lower-case letters, digits and '-'");
            }
        }
        if (name.charAt(0) == '-' || name.charAt(name.length() - 1) == '-') {
            return Optional.of(SafeText.quote(name) + " must start and end with a letter or digit");
        }
        return Optional.empty();
    }

    /** Returns {@code name} if valid, else throws a validation error for {@code field}. */
    public static String require(String field, String name) {
        violation(name).ifPresent(message -> {
            throw ApiException.invalid(field, message);
        });
        return name;
    }

    static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
