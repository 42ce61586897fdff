package dev.openshell.policy.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One allow or deny rule of a REST endpoint.
 *
 * @param method an upper-case HTTP method or {@code *}
 * @param path a path glob ({@code *} within a segment, {@code **} across segments, {@code ?},
 *     bracket classes), starting with {@code /}
 * @param query required query parameters: each listed parameter must be present and every value
 *     of it must match one of the globs
 */
public record HttpRule(String method, String path, Map<String, QueryMatch> query) {

    public HttpRule {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    public static HttpRule of(String method, String path) {
        return new HttpRule(method, path, Map.of());
    }
}
