package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.proxy.log.JsonLines;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The little JSON the supervisor writes (status, log lines, control replies) and reads back with
 * SnakeYAML's safe loader; no JSON library for so little.
 */
final class Json {

    private Json() {}

    /** One-line JSON of strings, numbers, booleans, nulls, collections and nested maps. */
    static String write(Map<String, ?> object) {
        StringBuilder b = new StringBuilder(128);
        value(b, object);
        return b.toString();
    }

    /** Parses a JSON object; an empty map when the text is not one. */
    static Map<String, Object> read(String text) {
        try {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            if (root instanceof Map<?, ?> map) {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), v));
                return out;
            }
        } catch (YAMLException e) {
            // not JSON: the caller treats it as absent
        }
        return Map.of();
    }

    private static void value(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("null");
            case String s -> JsonLines.quote(b, s);
            case Number n -> b.append(n);
            case Boolean bool -> b.append(bool);
            case Map<?, ?> map -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    JsonLines.quote(b, String.valueOf(e.getKey()));
                    b.append(':');
                    value(b, e.getValue());
                }
                b.append('}');
            }
            case Collection<?> list -> {
                b.append('[');
                boolean first = true;
                for (Object item : list) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    value(b, item);
                }
                b.append(']');
            }
            default -> JsonLines.quote(b, v.toString());
        }
    }
}
