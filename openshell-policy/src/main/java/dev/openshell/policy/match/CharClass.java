package dev.openshell.policy.match;

/**
 * A glob bracket class such as {@code [abc]}, {@code [a-z0-9]} or {@code [!x]}: pairs of
 * inclusive ranges, optionally negated. Whether {@code /} may match is the caller's business.
 */
final class CharClass {

    private final char[] ranges;
    private final boolean negated;

    private CharClass(char[] ranges, boolean negated) {
        this.ranges = ranges;
        this.negated = negated;
    }

    /** A parsed class and the index just after its closing {@code ]}. */
    record Parsed(CharClass cls, int end) {}

    boolean matches(char c) {
        boolean in = false;
        for (int i = 0; i < ranges.length; i += 2) {
            if (c >= ranges[i] && c <= ranges[i + 1]) {
                in = true;
                break;
            }
        }
        return in != negated;
    }

    /**
     * Whether the class matches a character of a folded path: {@code c} stands for every character
     * that folds to it, so the class matches when it matches {@code c} or its other case.
     */
    boolean matchesFolded(char c) {
        return matches(c) || matches(Character.toUpperCase(c)) || matches(Character.toLowerCase(c));
    }

    /**
     * Parses the class starting at {@code p.charAt(open) == '['}. A {@code !} or {@code ^} right
     * after the bracket negates; a {@code ]} first (after any negation) is literal; {@code a-z}
     * is a range ({@code -} first or last is literal); {@code \x} is a literal {@code x}.
     *
     * @return the class, or {@code null} when there is no closing bracket (then {@code [} is a
     *     literal character)
     */
    static Parsed parse(String p, int open) {
        int i = open + 1;
        int len = p.length();
        boolean negated = false;
        if (i < len && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
            negated = true;
            i++;
        }
        StringBuilder ranges = new StringBuilder();
        boolean first = true;
        while (i < len) {
            char c = p.charAt(i);
            if (c == ']' && !first) {
                return new Parsed(new CharClass(ranges.toString().toCharArray(), negated), i + 1);
            }
            first = false;
            char lo;
            if (c == '\\' && i + 1 < len) {
                lo = p.charAt(i + 1);
                i += 2;
            } else {
                lo = c;
                i++;
            }
            char hi = lo;
            if (i + 1 < len && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                char h = p.charAt(i + 1);
                if (h == '\\' && i + 2 < len) {
                    hi = p.charAt(i + 2);
                    i += 3;
                } else {
                    hi = h;
                    i += 2;
                }
            }
            ranges.append(lo).append(hi);
        }
        return null;
    }
}
