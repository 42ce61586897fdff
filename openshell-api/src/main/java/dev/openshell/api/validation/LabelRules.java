package dev.openshell.api.validation;

import dev.openshell.api.SafeText;
import java.util.Map;
import java.util.Optional;

/**
 * Label keys and values by the Kubernetes rules, so labels carry over to pods unchanged. A key is
 * an optional DNS-subdomain prefix and {@code /}, then a name of 1 to 63 characters: ASCII letters,
 * digits, {@code -}, {@code _} and {@code .}, beginning and ending with a letter or digit. A value is
 * empty or follows the rule for names. An object has at most {@value #MAX_LABELS} labels.
 */
public final class LabelRules {

    public static final int MAX_NAME_LENGTH = 63;
    public static final int MAX_PREFIX_LENGTH = 253;
    public static final int MAX_LABELS = 64;

    private LabelRules() {}

    /** What is wrong with label key {@code key}, or empty. */
    public static Optional<String> keyViolation(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("a label key must not be empty");
        }
        int slash = key.indexOf('/');
        String name = key;
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            Optional<String> bad = prefixViolation(prefix);
            if (bad.isPresent()) {
                return Optional.of("label key " + SafeText.quote(key) + ": " + bad.get());
            }
        }
        return nameViolation(name).map(why -> "label key " + SafeText.quote(key) + ": " + why);
    }

    /** What is wrong with label value {@code value}, or empty. */
    public static Optional<String> valueViolation(String value) {
        if (value == null) {
            return Optional.of("a label value must not be null");
        }
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return nameViolation(value).map(why -> "label value " + SafeText.quote(value) + ": " + why);
    }

    /** Adds a violation per bad key or value in {@code labels} under {@code field} ({@code labels.KEY}). */
    public static void check(Violations violations, String field, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        if (labels.size() > MAX_LABELS) {
            violations.add(field, labels.size() + " labels; at most " + MAX_LABELS + " are allowed");
            return;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            String where = field + "." + SafeText.oneLine(label.getKey(), SafeText.QUOTE_LIMIT);
            violations.check(where, keyViolation(label.getKey()));
            violations.check(where, valueViolation(label.getValue()));
        }
    }

    private static Optional<String> nameViolation(String name) {
        if (name.isEmpty()) {
            return Optional.of("the name part is empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of(name.length() + " characters; at most " + MAX_NAME_LENGTH + " are allowed");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
                return Optional.of(SafeText.quote(String.valueOf(c)) + " at position " + (i + 1)
                        + " is not allowed; use letters, digits, '-', '_' and '.'");
            }
        }
        if (!isAlnum(name.charAt(0)) || !isAlnum(name.charAt(name.length() - 1))) {
            return Optional.of("must begin and end with a letter or digit");
        }
        return Optional.empty();
    }

    private static Optional<String> prefixViolation(String prefix) {
        if (prefix.isEmpty()) {
            return Optional.of("the prefix before '/' is empty");
        }
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            return Optional.of("the prefix is " + prefix.length() + " characters; at most " + MAX_PREFIX_LENGTH);
        }
        for (String label : prefix.split("\\.", -1)) {
            Optional<String> bad = ResourceNames.violation(label);
            if (bad.isPresent()) {
                return Optional.of("the prefix " + SafeText.quote(prefix)
                        + " is not a DNS subdomain (lower-case labels of letters, digits and '-', joined by '.')");
            }
        }
        return Optional.empty();
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
