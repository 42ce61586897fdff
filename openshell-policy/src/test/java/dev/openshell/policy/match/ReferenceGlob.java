package dev.openshell.policy.match;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The reference the property tests compare {@link PathGlob} with: a direct translation of the
 * glob into a java.util.regex pattern, written from the specification, sharing no code with the
 * compiled matcher.
 */
final class ReferenceGlob {

    private ReferenceGlob() {}

    static boolean matches(String glob, boolean query, String input) {
        return Pattern.compile(toRegex(glob, query), Pattern.DOTALL)
                .matcher(input)
                .matches();
    }

    static String toRegex(String g, boolean query) {
        List<String> parts = new ArrayList<>();
        List<Boolean> slash = new ArrayList<>(); // whether the part is a literal '/'
        String notSlash = query ? "." : "[^/]";
        int i = 0;
        while (i < g.length()) {
            char c = g.charAt(i);
            if (c == '\\' && i + 1 < g.length()) {
                add(parts, slash, lit(g.charAt(i + 1)), g.charAt(i + 1) == '/');
                i += 2;
            } else if (c == '*') {
                int j = i;
                while (j < g.length() && g.charAt(j) == '*') {
                    j++;
                }
                if (query) {
                    add(parts, slash, ".*", false);
                } else if (j - i == 1) {
                    add(parts, slash, "[^/]*", false);
                } else if ((j == g.length() || g.charAt(j) == '/') && !slash.isEmpty() && slash.getLast()) {
                    parts.removeLast();
                    slash.removeLast();
                    add(parts, slash, "(?:/.*)?", false);
                } else {
                    add(parts, slash, ".*", false);
                }
                i = j;
            } else if (c == '?') {
                add(parts, slash, notSlash, false);
                i++;
            } else if (c == '[') {
                int end = classEnd(g, i);
                if (end < 0) {
                    add(parts, slash, lit('['), false);
                    i++;
                } else {
                    add(parts, slash, classRegex(g.substring(i + 1, end), query), false);
                    i = end + 1;
                }
            } else {
                add(parts, slash, lit(c), c == '/');
                i++;
            }
        }
        return String.join("", parts);
    }

    private static void add(List<String> parts, List<Boolean> slash, String part, boolean isSlash) {
        parts.add(part);
        slash.add(isSlash);
    }

    private static String lit(char c) {
        return String.format("\\x{%x}", (int) c);
    }

    /** Index of the closing ']' of the class opened at {@code open}, or -1. */
    private static int classEnd(String g, int open) {
        int i = open + 1;
        if (i < g.length() && (g.charAt(i) == '!' || g.charAt(i) == '^')) {
            i++;
        }
        if (i < g.length() && g.charAt(i) == ']') {
            i++; // a leading ']' is a member
        }
        while (i < g.length()) {
            char c = g.charAt(i);
            if (c == '\\' && i + 1 < g.length()) {
                i += 2;
            } else if (c == ']') {
                return i;
            } else {
                i++;
            }
        }
        return -1;
    }

    private static String classRegex(String body, boolean query) {
        boolean negated = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
        String s = negated ? body.substring(1) : body;
        List<char[]> members = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char lo = s.charAt(i);
            if (lo == '\\' && i + 1 < s.length()) {
                lo = s.charAt(++i);
            }
            i++;
            char hi = lo;
            if (i + 1 < s.length() && s.charAt(i) == '-') {
                hi = s.charAt(i + 1);
                i += 2;
                if (hi == '\\' && i < s.length()) {
                    hi = s.charAt(i++);
                }
            }
            members.add(new char[] {lo, hi});
        }
        StringBuilder any = new StringBuilder();
        for (char[] m : members) {
            if (m[0] <= m[1]) {
                any.append(lit(m[0])).append('-').append(lit(m[1]));
            }
        }
        String cls;
        if (any.isEmpty()) {
            cls = negated ? "." : "(?!)";
        } else {
            cls = "[" + (negated ? "^" : "") + any + "]";
        }
        return query ? cls : "(?:(?!/)" + cls + ")";
    }
}
