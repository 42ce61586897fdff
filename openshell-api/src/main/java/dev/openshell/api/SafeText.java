package dev.openshell.api;

/**
 * Makes untrusted text safe to print on one terminal line: a sandbox name from a request, a
 * problem's detail from a gateway. Control characters (C0, DEL, C1), line and paragraph separators
 * and bidirectional overrides are shown as {@code \}{@code uXXXX}, so such text can neither break
 * a line, move the cursor, recolour a terminal nor reorder what is shown.
 */
public final class SafeText {

    /** How much of a hostile value an error message quotes. */
    public static final int QUOTE_LIMIT = 64;

    private SafeText() {}

    /** {@code text} on one line, escaped, cut to {@code limit} characters (then "..."). */
    public static String oneLine(String text, int limit) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), limit) + 8);
        int shown = 0;
        for (int i = 0; i < text.length(); ) {
            if (shown >= limit) {
                return out.append("...").toString();
            }
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (unsafe(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
            shown++;
        }
        return out.toString();
    }

    /** {@code value} in single quotes for an error message, escaped and cut to {@value #QUOTE_LIMIT}. */
    public static String quote(String value) {
        return value == null ? "null" : "'" + oneLine(value, QUOTE_LIMIT) + "'";
    }

    private static boolean unsafe(int cp) {
        return cp < 0x20
                || (cp >= 0x7f && cp <= 0x9f)
                || cp == 0x2028
                || cp == 0x2029
                || (cp >= 0x202a && cp <= 0x202e) // bidi embeddings and overrides
                || (cp >= 0x2066 && cp <= 0x2069) // bidi isolates
                || cp == 0x200e
                || cp == 0x200f
                || cp == 0xfeff
                || (cp >= 0xd800 && cp <= 0xdfff); // a lone surrogate
    }
}
