package dev.openshell.policy.corpus;

import dev.openshell.policy.model.PolicyError;
import java.util.List;
import java.util.Locale;

/**
 * A validation error a fixture expects. {@code null} fields are not checked; message fragments
 * are compared ignoring case and quote style because the spec fixes only some phrases.
 *
 * @param paths accepted YAML paths (one of them must equal the error's path); empty = any
 * @param line expected 1-based line, or {@code null}
 * @param column expected 1-based column, or {@code null}
 * @param messageContains fragments that must all occur in the message
 * @param messageExcludes fragments that must not occur in the message
 */
record ExpectedError(
        List<String> paths, Integer line, Integer column, List<String> messageContains, List<String> messageExcludes) {

    ExpectedError {
        paths = List.copyOf(paths);
        messageContains = List.copyOf(messageContains);
        messageExcludes = List.copyOf(messageExcludes);
    }

    boolean matches(PolicyError actual) {
        if (!paths.isEmpty() && !paths.contains(actual.path())) {
            return false;
        }
        if (line != null && line != actual.line()) {
            return false;
        }
        if (column != null && column != actual.column()) {
            return false;
        }
        String message = normalise(actual.message() == null ? "" : actual.message());
        for (String fragment : messageContains) {
            if (!message.contains(normalise(fragment))) {
                return false;
            }
        }
        for (String fragment : messageExcludes) {
            if (message.contains(normalise(fragment))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Case and quoting style are not part of what the spec fixes: {@code `x`}, {@code 'x'} and
     * {@code "x"} all count as the same quoted name.
     */
    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[`'\"\u2018\u2019\u201c\u201d]", "`");
    }

    String describe() {
        String p = paths.isEmpty() ? "*" : paths.size() == 1 ? paths.getFirst() : String.join("|", paths);
        if (p.isEmpty()) {
            p = "<document>";
        }
        return line == null ? p : p + "@" + line + (column == null ? "" : ":" + column);
    }

    @Override
    public String toString() {
        return describe() + " containing " + messageContains
                + (messageExcludes.isEmpty() ? "" : " but not " + messageExcludes);
    }
}
