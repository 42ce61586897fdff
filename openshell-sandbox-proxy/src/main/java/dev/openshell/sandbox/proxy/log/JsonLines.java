package dev.openshell.sandbox.proxy.log;

import java.time.format.DateTimeFormatter;

/**
 * Encodes a {@link DecisionRecord} as one JSON object on one line (no trailing newline). Field
 * names follow OCSF loosely: {@code time} (ISO-8601 UTC), {@code sandbox}, {@code binary},
 * {@code pid}, {@code host}, {@code port}, {@code method}, {@code path}, {@code verdict},
 * {@code layer}, {@code policy}, {@code rule}, {@code reason}, {@code generation},
 * {@code latency_us}, {@code mode}. Null strings and a pid of 0 or less (caller unknown) are omitted. Every
 * string is escaped, so hostile input (a request path, a host name) can never break the line.
 */
public final class JsonLines {

    private JsonLines() {}

    public static String encode(DecisionRecord r) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        if (r.time() != null) {
            string(b, "time", DateTimeFormatter.ISO_INSTANT.format(r.time()));
        }
        string(b, "sandbox", r.sandbox());
        string(b, "binary", r.binary());
        if (r.pid() > 0) {
            number(b, "pid", r.pid());
        }
        string(b, "host", r.host());
        number(b, "port", r.port());
        string(b, "method", r.method());
        string(b, "path", r.path());
        string(b, "verdict", r.verdict());
        string(b, "layer", r.layer());
        string(b, "policy", r.policy());
        string(b, "rule", r.rule());
        string(b, "reason", r.reason());
        number(b, "generation", r.generation());
        number(b, "latency_us", r.latencyMicros());
        string(b, "mode", r.mode());
        return b.append('}').toString();
    }

    /** Appends {@code s} as a JSON string literal (with quotes). */
    public static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        // control characters, and the separators JavaScript treats as line ends
                        unicodeEscape(b, c);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        b.append("\\ufffd"); // a lone surrogate has no UTF-8 form
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static void unicodeEscape(StringBuilder b, char c) {
        b.append("\\u");
        String hex = Integer.toHexString(c);
        for (int i = hex.length(); i < 4; i++) {
            b.append('0');
        }
        b.append(hex);
    }

    private static void string(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        separator(b);
        b.append('"').append(name).append("\":");
        quote(b, value);
    }

    private static void number(StringBuilder b, String name, long value) {
        separator(b);
        b.append('"').append(name).append("\":").append(value);
    }

    private static void separator(StringBuilder b) {
        if (b.length() > 1) {
            b.append(',');
        }
    }
}
