package dev.openshell.api.validation;

import dev.openshell.api.ApiException;
import dev.openshell.api.SafeText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An equality-based label selector as {@code sandbox list --selector} and the {@code
 * label_selector} query parameter spell it: requirements joined by {@code ,}, each {@code k=v} (or
 * {@code k==v}), {@code k!=v}, {@code k} (has the label) or {@code !k} (lacks it). All must hold.
 * The empty selector matches everything.
 */
public record LabelSelector(List<Requirement> requirements) {

    public static final int MAX_LENGTH = 1024;

    /** How a requirement compares. */
    public enum Operator {
        EQUALS,
        NOT_EQUALS,
        EXISTS,
        NOT_EXISTS
    }

    /** One requirement; {@code value} is null for {@link Operator#EXISTS} and {@link Operator#NOT_EXISTS}. */
    public record Requirement(String key, Operator operator, String value) {
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
        }

        boolean matches(Map<String, String> labels) {
            String actual = labels.get(key);
            return switch (operator) {
                case EQUALS -> value.equals(actual);
                case NOT_EQUALS -> !value.equals(actual);
                case EXISTS -> actual != null;
                case NOT_EXISTS -> actual == null;
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EQUALS -> key + "=" + value;
                case NOT_EQUALS -> key + "!=" + value;
                case EXISTS -> key;
                case NOT_EXISTS -> "!" + key;
            };
        }
    }

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    /** The selector that matches everything. */
    public static LabelSelector all() {
        return new LabelSelector(List.of());
    }

    /**
     * Parses {@code text} (null or blank is the empty selector); a bad requirement is a validation
     * error for {@code field}.
     */
    public static LabelSelector parse(String field, String text) {
        if (text == null || text.isBlank()) {
            return all();
        }
        if (text.length() > MAX_LENGTH) {
            throw ApiException.invalid(
                    field, "the selector is " + text.length() + " characters long; at most " + MAX_LENGTH);
        }
        List<Requirement> parsed = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            parsed.add(requirement(field, part.strip()));
        }
        return new LabelSelector(parsed);
    }

    /** Whether {@code labels} meet every requirement. */
    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    /** The canonical spelling, which {@link #parse} reads back to an equal selector. */
    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }

    private static Requirement requirement(String field, String part) {
        if (part.isEmpty()) {
            throw ApiException.invalid(field, "empty requirement (two commas, or a comma at an end)");
        }
        int ne = part.indexOf("!=");
        int eq = part.indexOf('=');
        if (ne >= 0 && ne < eq) {
            return checked(field, part, part.substring(0, ne), Operator.NOT_EQUALS, part.substring(ne + 2));
        }
        if (eq >= 0) {
            int valueStart = part.startsWith("==", eq) ? eq + 2 : eq + 1;
            return checked(field, part, part.substring(0, eq), Operator.EQUALS, part.substring(valueStart));
        }
        if (part.startsWith("!")) {
            return checked(field, part, part.substring(1), Operator.NOT_EXISTS, null);
        }
        return checked(field, part, part, Operator.EXISTS, null);
    }

    private static Requirement checked(String field, String part, String key, Operator op, String value) {
        String k = key.strip();
        String v = value == null ? null : value.strip();
        LabelRules.keyViolation(k)
                .or(() -> v == null ? java.util.Optional.empty() : LabelRules.valueViolation(v))
                .ifPresent(why -> {
                    throw ApiException.invalid(field, "in " + SafeText.quote(part) + ": " + why);
                });
        return new Requirement(k, op, v);
    }
}
