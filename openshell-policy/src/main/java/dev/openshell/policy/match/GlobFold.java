package dev.openshell.policy.match;

/**
 * Folds the text of a deny rule's glob the way {@link PathFold} folds requests, so the folded
 * glob ({@link PathGlob#forFoldedPaths}, {@link PathGlob#forFoldedQuery}) matches the folded form
 * of everything the glob matches as written. Glob syntax ({@code *}, {@code ?}, classes, escapes)
 * is kept; literal characters are case-folded.
 */
final class GlobFold {

    private GlobFold() {}

    /**
     * Folds the text of a path glob the way {@link PathFold#fold} folds a path, keeping the glob syntax:
     * literal characters are case-folded and a {@code ;} or a stream suffix cuts its segment; trailing literal dots
     * and blanks of a segment, empty segments and a trailing slash are dropped. Classes are kept
     * as written (the compiled glob matches them ignoring case).
     */
    static String path(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        StringBuilder segment = new StringBuilder();
        int kept = 0; // the segment's length up to its last item that is not a trailing dot or blank
        boolean cut = false; // a `;` ended the segment
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            boolean escaped = c == '\\' && i + 1 < pattern.length();
            char lit = escaped ? pattern.charAt(i + 1) : c;
            int next = i + (escaped ? 2 : 1);
            String item;
            if (lit == '/') {
                kept = flush(out, segment, kept);
                cut = false;
                i = next;
                continue;
            } else if (!escaped && c == '[') {
                CharClass.Parsed parsed = CharClass.parse(pattern, i);
                next = parsed == null ? i + 1 : parsed.end();
                item = parsed == null ? "\\[" : pattern.substring(i, next);
            } else if (!escaped && (c == '*' || c == '?')) {
                item = String.valueOf(c);
            } else {
                cut |= lit == ';' || (!escaped && lit == ':' && PathFold.isStreamSuffix(pattern, i));
                item = literal(lit);
            }
            if (!cut) {
                segment.append(item);
                if (lit != '.' && !PathFold.isBlank(lit)) {
                    kept = segment.length();
                }
            }
            i = next;
        }
        flush(out, segment, kept);
        return out.isEmpty() ? "/" : out.toString();
    }

    /** Appends a folded pattern segment unless it is empty; returns the new {@code kept} (0). */
    private static int flush(StringBuilder out, StringBuilder segment, int kept) {
        segment.setLength(kept);
        if (!segment.isEmpty()) {
            out.append('/').append(segment);
        }
        segment.setLength(0);
        return 0;
    }

    /** Folds the text of a query value glob: literal characters case-folded, syntax kept. */
    static String query(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                out.append(literal(pattern.charAt(i + 1)));
                i += 2;
            } else if (c == '[') {
                CharClass.Parsed parsed = CharClass.parse(pattern, i);
                int next = parsed == null ? i + 1 : parsed.end();
                out.append(parsed == null ? "\\[" : pattern.substring(i, next));
                i = next;
            } else {
                out.append(c == '*' || c == '?' ? String.valueOf(c) : literal(c));
                i++;
            }
        }
        return out.toString();
    }

    /** One literal pattern character, case-folded, escaped when it is glob syntax. */
    private static String literal(char c) {
        char f = (char) Character.toLowerCase(Character.toUpperCase((int) c));
        return f == '*' || f == '?' || f == '[' || f == '\\' ? "\\" + f : String.valueOf(f);
    }
}
