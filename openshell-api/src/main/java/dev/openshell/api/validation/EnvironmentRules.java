package dev.openshell.api.validation;

import dev.openshell.api.SafeText;
import java.util.Map;
import java.util.Optional;

/**
 * Environment variables given to a sandbox's agent: portable names ({@code [A-Za-z_][A-Za-z0-9_]*},
 * so a shell can read them and no {@code =} splits one), values without NUL and no longer than the
 * kernel takes for one string (128 KiB), at most {@value #MAX_VARIABLES} variables.
 */
public final class EnvironmentRules {

    public static final int MAX_VARIABLES = 256;
    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_VALUE_LENGTH = 128 * 1024 - 1;

    private EnvironmentRules() {}

    /** What is wrong with variable name {@code name}, or empty. */
    public static Optional<String> nameViolation(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("a variable name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("variable name of " + name.length() + " characters; at most " + MAX_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return Optional.of("variable name " + SafeText.quote(name)
                        + ": use letters, digits and '_', not starting with a digit");
            }
        }
        return Optional.empty();
    }

    /** Adds a violation per bad name or value in {@code env}. */
    public static void check(Violations v, String field, Map<String, String> env) {
        if (env.size() > MAX_VARIABLES) {
            v.add(field, env.size() + " variables; at most " + MAX_VARIABLES + " are allowed");
            return;
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String where = field + "." + SafeText.oneLine(e.getKey(), SafeText.QUOTE_LIMIT);
            v.check(where, nameViolation(e.getKey()));
            TextRules.check(v, where, e.getValue(), MAX_VALUE_LENGTH);
        }
    }
}
