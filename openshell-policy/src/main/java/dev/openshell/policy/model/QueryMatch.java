package dev.openshell.policy.model;

import java.util.List;

/**
 * Globs a query parameter value must match. YAML: a single glob string, or {@code {any: [...]}}.
 */
public record QueryMatch(List<String> anyOf) {

    public QueryMatch {
        anyOf = List.copyOf(anyOf);
    }

    public static QueryMatch glob(String glob) {
        return new QueryMatch(List.of(glob));
    }
}
