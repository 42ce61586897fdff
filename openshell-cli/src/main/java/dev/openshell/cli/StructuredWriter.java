package dev.openshell.cli;

import dev.openshell.sandbox.json.SandboxJson;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.ObjectWriter;

/**
 * Writes a tree of maps, lists, strings, numbers, booleans and nulls as JSON (Jackson, pretty
 * printed) or block-style YAML with double-quoted strings, for {@code -o json|yaml}.
 */
public final class StructuredWriter {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final ObjectWriter JSON = SandboxJson.mapper().writer().with(prettyPrinter());

    private StructuredWriter() {}

    /** Writes {@code value} in {@code format}; {@link OutputFormat#TABLE} is not a document format. */
    public static String write(Object value, OutputFormat format) {
        return switch (format) {
            case JSON -> json(value);
            case YAML -> yaml(value);
            case TABLE -> throw new IllegalArgumentException("table is not a document format");
        };
    }

    /** Pretty-printed JSON (two-space indent, {@code "key": value}), ending with a newline. */
    public static String json(Object value) {
        return JSON.writeValueAsString(value) + "\n";
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

    /** A JSON string literal (Jackson's); also a valid YAML double-quoted scalar. */
    static String quote(String s) {
        return SandboxJson.mapper().writeValueAsString(s);
    }

    /** Two spaces per level, arrays one item per line, {@code "key": value}, {@code []} and {@code {}} when empty. */
    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indent).withArrayIndenter(indent);
    }

    private static StringBuilder pad(StringBuilder sb, int n) {
        return sb.repeat(' ', n);
    }
}
