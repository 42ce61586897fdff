package dev.openshell.api.provider;

import java.util.Optional;

/**
 * Rules for credential values: one line of printable ASCII, as an HTTP header value must be. Messages about a value never quote it: it is a secret, and error
 * messages end up in logs and terminals.
 */
final class CredentialValues {

    private CredentialValues() {}

    static Optional<String> violation(String value, int max) {
        if (value.isEmpty()) {
            return Optional.of("the value is empty");
        }
        if (value.length() > max) {
            return Optional.of("the value is " + value.length() + " characters long; at most " + max);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return Optional.of("the value has a character other than printable ASCII at position " + (i + 1)
                        + " (a line break, NUL, ...); it goes into HTTP headers, so it must be one line of ASCII");
            }
        }
        return Optional.empty();
    }
}
