package dev.openshell.policy.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A compiled, anchored path glob, matched without regular expressions.
 *
 * <p>Path semantics ({@link #compile}): {@code *} matches any run of characters except {@code /}
 * (possibly empty); {@code **} matches any run including {@code /}; a {@code /**} segment (the
 * {@code **} followed by {@code /} or the end) also matches nothing at all, so {@code /a/**}
 * matches {@code /a}, {@code /a/} and {@code /a/b/c}, and {@code /a/**}{@code /b} matches {@code
 * /a/b}; {@code ?} matches one character except {@code /}; {@code [abc]}, {@code [a-z]}, {@code
 * [!a]} and {@code [^a]} match one character, never {@code /}; {@code \x} matches {@code x}
 * literally. An unterminated {@code [} is a literal. Matching is case-sensitive.
 *
 * <p>Query semantics ({@link #forQuery}): the same syntax, but {@code /} is an ordinary
 * character, so {@code *} and {@code **} both match any run.
 *
 * <p>Folded semantics ({@link #forFoldedPaths}, for deny rules): the pattern is folded like a
 * request path ({@link GlobFold#path}) and matched against folded paths; classes ignore case,
 * and a segment that is a lone {@code *} may also match no segment at all, because the empty
 * segment it would cover in the exact path is gone from the folded one. So every path the glob
 * matches exactly folds to a path the folded glob matches.
 *
 * <p>Matching simulates the glob as a small automaton (a bit set of positions), so its cost is
 * linear in the input times the number of live positions and never backtracks exponentially.
 * Instances are immutable and thread-safe.
 */
public final class PathGlob {

    private final String pattern;
    private final boolean query;
    private final boolean folded;
    private final Token[] tokens;
    /** epsilonClosure[i]: positions reachable from position i without consuming input (incl. i). */
    private final long[][] closure;

    private final Shape shape;
    /**
     * For LITERAL: the whole pattern; for PREFIX_TREE: the literal before the final {@code /**};
     * for PREFIX_SEGMENT / PREFIX_ANY: the literal before a final {@code *} / {@code **}.
     */
    private final String literal;
    /** Literal characters every match must start with (lets most mismatches fail fast). */
    private final String fixedPrefix;

    private enum Shape {
        LITERAL,
        ANYTHING,
        PREFIX_TREE,
        PREFIX_SEGMENT,
        PREFIX_ANY,
        GENERAL
    }

    private PathGlob(String pattern, boolean query, boolean folded) {
        this.pattern = pattern;
        this.query = query;
        this.folded = folded;
        String text = !folded ? pattern : query ? GlobFold.query(pattern) : GlobFold.path(pattern);
        this.tokens = tokenize(text, query, folded);
        this.closure = closures(tokens);
        this.fixedPrefix = fixedPrefix(tokens);
        if (fixedPrefix.length() == tokens.length) {
            shape = Shape.LITERAL;
            literal = fixedPrefix;
        } else if (tokens.length == 1 && tokens[0].kind == Kind.ANY_RUN) {
            shape = Shape.ANYTHING;
            literal = null;
        } else if (tokens.length == fixedPrefix.length() + 2
                && tokens[tokens.length - 2].kind == Kind.SLASH_GATE
                && tokens[tokens.length - 1].kind == Kind.ANY_RUN) {
            shape = Shape.PREFIX_TREE;
            literal = fixedPrefix;
        } else if (tokens.length == fixedPrefix.length() + 1 && tokens[tokens.length - 1].kind == Kind.SEGMENT_RUN) {
            shape = Shape.PREFIX_SEGMENT;
            literal = fixedPrefix;
        } else if (tokens.length == fixedPrefix.length() + 1 && tokens[tokens.length - 1].kind == Kind.ANY_RUN) {
            shape = Shape.PREFIX_ANY;
            literal = fixedPrefix;
        } else {
            shape = Shape.GENERAL;
            literal = null;
        }
    }

    /** Compiles a glob with path semantics (L7 paths and binary paths). */
    public static PathGlob compile(String pattern) {
        return new PathGlob(pattern, false, false);
    }

    /** Compiles a glob with query semantics: {@code /} is an ordinary character. */
    public static PathGlob forQuery(String pattern) {
        return new PathGlob(pattern, true, false);
    }

    /** Compiles a path glob with folded semantics, to match {@link RequestTarget#folded()}. */
    public static PathGlob forFoldedPaths(String pattern) {
        return new PathGlob(pattern, false, true);
    }

    /** Compiles a query glob with folded semantics, to match {@link RequestTarget#foldedQueryValue}. */
    public static PathGlob forFoldedQuery(String pattern) {
        return new PathGlob(pattern, true, true);
    }

    /** The glob as written (before folding). */
    public String pattern() {
        return pattern;
    }

    /** Whether the glob matches only one string (it has no wildcard or class). */
    public boolean isLiteral() {
        return shape == Shape.LITERAL;
    }

    /** Whether the whole string {@code s} matches the glob. */
    public boolean matches(String s) {
        switch (shape) {
            case LITERAL:
                return s.equals(literal);
            case ANYTHING:
                return true;
            case PREFIX_TREE:
                // lit + "/**": lit itself, or lit followed by "/" and anything.
                return s.startsWith(literal) && (s.length() == literal.length() || s.charAt(literal.length()) == '/');
            case PREFIX_SEGMENT:
                // lit + "*": lit followed by anything but "/".
                return s.startsWith(literal) && s.indexOf('/', literal.length()) < 0;
            case PREFIX_ANY:
                return s.startsWith(literal);
            default:
                if (!s.startsWith(fixedPrefix)) {
                    return false;
                }
                return tokens.length < 64 ? matchSmall(s) : matchLarge(s);
        }
    }

    private boolean matchSmall(String s) {
        int n = tokens.length;
        long state = closure[0][0];
        for (int p = 0; p < s.length() && state != 0; p++) {
            char c = s.charAt(p);
            long next = 0;
            long bits = state;
            while (bits != 0) {
                int i = Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                if (i == n) {
                    continue;
                }
                int to = tokens[i].step(c, i, query, folded);
                if (to >= 0) {
                    next |= closure[to][0];
                }
            }
            state = next;
        }
        return (state & (1L << n)) != 0;
    }

    private boolean matchLarge(String s) {
        int n = tokens.length;
        int words = (n >>> 6) + 1;
        long[] state = closure[0].clone();
        long[] next = new long[words];
        for (int p = 0; p < s.length(); p++) {
            char c = s.charAt(p);
            Arrays.fill(next, 0);
            boolean any = false;
            for (int w = 0; w < words; w++) {
                long bits = state[w];
                while (bits != 0) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    if (i == n) {
                        continue;
                    }
                    int to = tokens[i].step(c, i, query, folded);
                    if (to >= 0) {
                        long[] cl = closure[to];
                        for (int k = 0; k < words; k++) {
                            next[k] |= cl[k];
                        }
                        any = true;
                    }
                }
            }
            if (!any) {
                return false;
            }
            long[] t = state;
            state = next;
            next = t;
        }
        return (state[n >>> 6] & (1L << (n & 63))) != 0;
    }

    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathGlob g && g.query == query && g.folded == folded && g.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode() * 31 + (query ? 1 : 0) + (folded ? 2 : 0);
    }

    // ---- compilation ------------------------------------------------------------------------

    private enum Kind {
        /** One literal character. */
        CHAR,
        /** {@code ?}. */
        ONE,
        /** {@code [...]}. */
        CLASS,
        /** {@code *} with path semantics: a run without {@code /}. */
        SEGMENT_RUN,
        /** {@code **}, or any star with query semantics: any run. */
        ANY_RUN,
        /**
         * The {@code /} of a {@code /**} segment (or, folded, of a lone {@code *} segment); it may be
         * skipped together with the run after it.
         */
        SLASH_GATE
    }

    private record Token(Kind kind, char c, CharClass cls) {

        /** The position reached from position {@code i} by consuming {@code ch}, or -1. */
        int step(char ch, int i, boolean query, boolean folded) {
            return switch (kind) {
                case CHAR -> ch == c ? i + 1 : -1;
                case ONE -> (query || ch != '/') ? i + 1 : -1;
                case CLASS -> ((query || ch != '/') && (folded ? cls.matchesFolded(ch) : cls.matches(ch))) ? i + 1 : -1;
                case SEGMENT_RUN -> ch != '/' ? i : -1;
                case ANY_RUN -> i;
                case SLASH_GATE -> ch == '/' ? i + 1 : -1;
            };
        }
    }

    private static Token[] tokenize(String p, boolean query, boolean folded) {
        List<Token> out = new ArrayList<>(p.length());
        int i = 0;
        int len = p.length();
        while (i < len) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < len) {
                out.add(new Token(Kind.CHAR, p.charAt(i + 1), null));
                i += 2;
            } else if (c == '*') {
                int j = i;
                while (j < len && p.charAt(j) == '*') {
                    j++;
                }
                boolean dbl = j - i >= 2;
                if (query || !dbl) {
                    if (folded && !query && isWholeSegment(p, i, j, out)) {
                        out.set(out.size() - 1, new Token(Kind.SLASH_GATE, '/', null));
                    }
                    out.add(new Token(query ? Kind.ANY_RUN : Kind.SEGMENT_RUN, '*', null));
                } else {
                    boolean segmentEnd = j == len || p.charAt(j) == '/';
                    Token prev = out.isEmpty() ? null : out.getLast();
                    if (segmentEnd && prev != null && prev.kind == Kind.CHAR && prev.c == '/') {
                        out.set(out.size() - 1, new Token(Kind.SLASH_GATE, '/', null));
                    }
                    out.add(new Token(Kind.ANY_RUN, '*', null));
                }
                i = j;
            } else if (c == '?') {
                out.add(new Token(Kind.ONE, '?', null));
                i++;
            } else if (c == '[') {
                CharClass.Parsed parsed = CharClass.parse(p, i);
                if (parsed == null) {
                    out.add(new Token(Kind.CHAR, '[', null));
                    i++;
                } else {
                    out.add(new Token(Kind.CLASS, '[', parsed.cls()));
                    i = parsed.end();
                }
            } else {
                out.add(new Token(Kind.CHAR, c, null));
                i++;
            }
        }
        return out.toArray(new Token[0]);
    }

    /** Whether the star run {@code p[i, j)} is a whole segment: a literal {@code /} before, {@code /} or the end after. */
    private static boolean isWholeSegment(String p, int i, int j, List<Token> out) {
        Token prev = out.isEmpty() ? null : out.getLast();
        boolean slashBefore =
                prev != null && prev.kind == Kind.CHAR && prev.c == '/' && (i == 0 || p.charAt(i - 1) == '/');
        return slashBefore && (j == p.length() || p.charAt(j) == '/');
    }

    private static long[][] closures(Token[] tokens) {
        int n = tokens.length;
        int words = (n >>> 6) + 1;
        long[][] cl = new long[n + 1][words];
        // Positions reachable by skipping: a run may match nothing; a slash gate may be skipped
        // together with the run that follows it. Compute from the end so later closures exist.
        for (int i = n; i >= 0; i--) {
            set(cl[i], i);
            if (i < n) {
                Kind k = tokens[i].kind;
                if (k == Kind.SEGMENT_RUN || k == Kind.ANY_RUN) {
                    or(cl[i], cl[i + 1]);
                } else if (k == Kind.SLASH_GATE) {
                    or(cl[i], cl[i + 2]);
                }
            }
        }
        return cl;
    }

    private static void set(long[] bits, int i) {
        bits[i >>> 6] |= 1L << (i & 63);
    }

    private static void or(long[] into, long[] from) {
        for (int k = 0; k < into.length; k++) {
            into[k] |= from[k];
        }
    }

    private static String fixedPrefix(Token[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (Token t : tokens) {
            if (t.kind != Kind.CHAR) {
                break;
            }
            sb.append(t.c);
        }
        return sb.toString();
    }
}
