package dev.openshell.cli;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a tree of maps, lists, strings, numbers, booleans and nulls as JSON or YAML, for {@code -o
 * json|yaml}. Small on purpose: the CLI's documents are tiny, and a JSON library would be the
 * biggest part of the launcher's start-up time.
 */
public final class StructuredWriter {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private StructuredWriter() {}

    /** Writes {@code value} in {@code format}; {@link OutputFormat#TABLE} is not a document format. */
    public static String write(Object value, OutputFormat format) {
        return switch (format) {
            case JSON -> json(value);
            case YAML -> yaml(value);
            case TABLE -> throw new IllegalArgumentException("table is not a document format");
        };
    }

    /** Pretty-printed JSON, ending with a newline. */
    public static String json(Object value) {
        StringBuilder sb = new StringBuilder();
        json(sb, value, 0);
        return sb.append('\n').toString();
    }

    /** Block-style YAML (strings double-quoted), ending with a newline. */
    public static String yaml(Object value) {
        StringBuilder sb = new StringBuilder();
        if (isEmptyOrScalar(value)) {
            sb.append(scalar(value)).append('\n');
        } else {
            yamlBlock(sb, value, 0);
        }
        return sb.toString();
    }

    private static void json(StringBuilder sb, Object value, int indent) {
        if (isEmptyOrScalar(value)) {
            sb.append(scalar(value));
        } else if (value instanceof Map<?, ?> map) {
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                pad(sb, indent + 2).append(quote(String.valueOf(e.getKey()))).append(": ");
                json(sb, e.getValue(), indent + 2);
                sb.append(++i < map.size() ? ",\n" : "\n");
            }
            pad(sb, indent).append('}');
        } else {
            List<?> list = (List<?>) value;
            sb.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                pad(sb, indent + 2);
                json(sb, list.get(i), indent + 2);
                sb.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            pad(sb, indent).append(']');
        }
    }

    private static void yamlBlock(StringBuilder sb, Object value, int indent) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                pad(sb, indent).append(key(e.getKey())).append(':');
                yamlValue(sb, e.getValue(), indent + 2);
            }
        } else {
            for (Object item : (List<?>) value) {
                pad(sb, indent).append('-');
                if (item instanceof Map<?, ?> map && !map.isEmpty()) {
                    // The first entry shares the dash's line; the rest align under it.
                    StringBuilder nested = new StringBuilder();
                    yamlBlock(nested, map, indent + 2);
                    sb.append(' ').append(nested, indent + 2, nested.length());
                } else {
                    yamlValue(sb, item, indent + 2);
                }
            }
        }
    }

    private static void yamlValue(StringBuilder sb, Object value, int indent) {
        if (isEmptyOrScalar(value)) {
            sb.append(' ').append(scalar(value)).append('\n');
        } else {
            sb.append('\n');
            yamlBlock(sb, value, indent);
        }
    }

    private static boolean isEmptyOrScalar(Object value) {
        return !(value instanceof Map<?, ?> m && !m.isEmpty()) && !(value instanceof List<?> l && !l.isEmpty());
    }

    private static String scalar(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> m -> "{}";
            case List<?> l -> "[]";
            case Boolean b -> b.toString();
            case Integer i -> i.toString();
            case Long l -> l.toString();
            default -> quote(String.valueOf(value));
        };
    }

    private static String key(Object key) {
        String k = String.valueOf(key);
        return PLAIN_KEY.matcher(k).matches() ? k : quote(k);
    }

    /** A JSON string literal; also a valid YAML double-quoted scalar. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static StringBuilder pad(StringBuilder sb, int n) {
        return sb.repeat(' ', n);
    }
}
