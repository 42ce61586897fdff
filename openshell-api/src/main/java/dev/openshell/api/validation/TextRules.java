package dev.openshell.api.validation;

import dev.openshell.api.SafeText;
import java.util.List;
import java.util.Map;

/**
 * Plain-text fields of requests: bounded length, no NUL (nothing downstream — argv, environment,
 * file names — can carry one, and a NUL that is cut off later changes meaning), and for
 * single-line values no line breaks (they would split a header or a log line).
 */
public final class TextRules {

    private TextRules() {}

    /** Checks one multi-line text of at most {@code max} characters; null passes. */
    public static void check(Violations v, String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.length() > max) {
            v.add(field, value.length() + " characters; at most " + max + " are allowed");
        } else if (value.indexOf('\0') >= 0) {
            v.add(field, "contains a NUL character");
        }
    }

    /** Checks one single-line, non-blank value of at most {@code max} characters; null passes. */
    public static void checkLine(Violations v, String field, String value, int max) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            v.add(field, "must not be blank");
            return;
        }
        check(v, field, value, max);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                v.add(field, SafeText.quote(value) + " contains a control character at position " + (i + 1));
                return;
            }
        }
    }

    /** Checks an argument vector: at most {@code maxItems} items of at most {@code maxItem} characters, no NUL. */
    public static void checkArgs(Violations v, String field, List<String> args, int maxItems, int maxItem) {
        if (args.size() > maxItems) {
            v.add(field, args.size() + " items; at most " + maxItems + " are allowed");
            return;
        }
        for (int i = 0; i < args.size(); i++) {
            check(v, field + "[" + i + "]", args.get(i), maxItem);
        }
    }

    /** A copy of {@code map} that rejects null keys and values with an {@link InvalidFieldException}. */
    public static Map<String, String> copyOf(String field, Map<String, String> map) {
        if (map == null) {
            return Map.of();
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new InvalidFieldException(
                        field + "." + SafeText.oneLine(String.valueOf(e.getKey()), SafeText.QUOTE_LIMIT), "is null");
            }
        }
        return Map.copyOf(map);
    }

    /** A copy of {@code list} that rejects null items with an {@link InvalidFieldException}. */
    public static List<String> copyOf(String field, List<String> list) {
        if (list == null) {
            return List.of();
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new InvalidFieldException(field + "[" + i + "]", "is null");
            }
        }
        return List.copyOf(list);
    }
}
