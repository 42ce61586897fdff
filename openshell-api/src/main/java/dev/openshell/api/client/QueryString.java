package dev.openshell.api.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds {@code ?a=1&b=x%20y}: every key and value percent-encoded (UTF-8), null values left out. */
final class QueryString {

    private QueryString() {}

    static String of(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        String joined = query.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return joined.isEmpty() ? "" : "?" + joined;
    }

    static String of(Map<String, String> query, String key, String value) {
        Map<String, String> all = new LinkedHashMap<>();
        if (query != null) {
            all.putAll(query);
        }
        all.put(key, value);
        return of(all);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
