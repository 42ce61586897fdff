package dev.openshell.policy.match;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An origin-form HTTP request target, parsed into the forms policy evaluation needs:
 *
 * <ul>
 *   <li>{@link #canonical()}: the one spelling of the target the proxy forwards. Escapes of
 *       unreserved characters ({@code %61}) are decoded, every other escape keeps its meaning
 *       with upper-case hex, characters that must not appear raw are escaped; the query is kept
 *       as sent. A canonical target parses to itself.
 *   <li>{@link #path()}: the canonical path decoded once; allow rules match it exactly.
 *   <li>{@link #folded()}: the path as any common server could read it ({@link PathFold}); deny
 *       rules match it too, so no spelling of a denied path gets through.
 * </ul>
 *
 * <p>A target that servers could read in ways no fold covers is invalid, with the reason in
 * {@link #error()}: not a path ({@code *}, absolute or authority form), a fragment, a path
 * starting with {@code //}, an encoded slash, an encoded {@code ?} or {@code #}, a backslash
 * (raw or encoded), a control character, invalid percent-encoding or UTF-8 (overlong forms
 * included), and what {@link PathFold} refuses (dot-segments in any spelling, hidden separators,
 * deep encoding). The query is split on {@code &} into {@code name=value} pairs, percent-decoded
 * with {@code +} as space.
 */
public final class RequestTarget {

    private static final String[] NO_QUERY = new String[0];

    /** Characters kept as they are in a canonical path: unreserved, sub-delims, {@code :@/}. */
    private static final boolean[] PLAIN = new boolean[128];

    /** Unreserved characters (RFC 3986): an escape of one of these is decoded in the canonical path. */
    private static final boolean[] UNRESERVED = new boolean[128];

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
            UNRESERVED[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c : "-._~".toCharArray()) {
            UNRESERVED[c] = true;
        }
        System.arraycopy(UNRESERVED, 0, PLAIN, 0, 128);
        for (char c : "!$&'()*+,;=:@/".toCharArray()) {
            PLAIN[c] = true;
        }
    }

    private final String rawPath;
    private final String path;
    private final String canonicalPath;
    private final String canonical;
    /** {@code null} while the fold is the ASCII lower case of {@link #path}, not yet computed. */
    private String folded;

    private final String[] query;
    private final String rawQuery;
    private final String error;
    /** Computed on first use: only deny rules with query conditions need it. */
    private String[] foldedQuery;

    private RequestTarget(
            String rawPath,
            String path,
            String canonicalPath,
            String canonical,
            String folded,
            String[] query,
            String rawQuery,
            String error) {
        this.rawPath = rawPath;
        this.path = path;
        this.canonicalPath = canonicalPath;
        this.canonical = canonical;
        this.folded = folded;
        this.query = query;
        this.rawQuery = rawQuery;
        this.error = error;
    }

    /** Parses a request target; check {@link #error()} before using the result. */
    public static RequestTarget parse(String target) {
        int end = pathEnd(target);
        String raw = end == target.length() ? target : target.substring(0, end);
        try {
            return parse(target, raw, end);
        } catch (PathRefusal r) {
            return new RequestTarget(raw, null, null, null, null, NO_QUERY, null, r.getMessage());
        }
    }

    private static RequestTarget parse(String target, String raw, int end) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw new PathRefusal("request target must be a path");
        }
        if (target.indexOf('#', end) >= 0) {
            throw new PathRefusal("fragment in request target");
        }
        if (raw.length() > 1 && raw.charAt(1) == '/') {
            // `//host/path` is an authority and a path to URL parsers that accept network-path references.
            throw new PathRefusal("path starts with //");
        }
        String path;
        String canonicalPath;
        if (isPlain(raw)) {
            path = raw;
            canonicalPath = raw;
        } else {
            path = decode(raw);
            canonicalPath = canonicalPath(raw);
        }
        String folded = PathFold.foldOrLowerCase(path);
        String[] query = NO_QUERY;
        String rawQuery = null;
        if (end < target.length() - 1) {
            rawQuery = target.substring(end + 1);
            query = parseQuery(rawQuery, "&");
            if (query == null) {
                throw new PathRefusal("invalid percent-encoding in query");
            }
        }
        String canonical = canonicalPath == raw ? target : canonicalPath + target.substring(end);
        return new RequestTarget(raw, path, canonicalPath, canonical, folded, query, rawQuery, null);
    }

    /** The path as sent (still encoded, never the query): what reasons may show for an invalid target. */
    public String rawPath() {
        return rawPath;
    }

    /** The decoded canonical path, or {@code null} when invalid: what allow rules match. */
    public String path() {
        return path;
    }

    /** The canonical path, still encoded (no query): what reasons and logs show. */
    public String canonicalPath() {
        return canonicalPath;
    }

    /** The canonical target (path and query as sent): what is forwarded; {@code null} when invalid. */
    public String canonical() {
        return canonical;
    }

    /** The folded path, or {@code null} when invalid: what deny rules match besides {@link #path()}. */
    public String folded() {
        if (folded == null && error == null) {
            folded = PathFold.asciiLower(path);
        }
        return folded;
    }

    /** Why the target is invalid, or {@code null}. */
    public String error() {
        return error;
    }

    /** Number of query parameters (repeated names count each time). */
    public int queryCount() {
        return query.length / 2;
    }

    public String queryName(int i) {
        return query[2 * i];
    }

    public String queryValue(int i) {
        return query[2 * i + 1];
    }

    /**
     * Number of query parameters as a lenient server could read them, for deny rules: split on
     * {@code &} and {@code ;}, names and values decoded ({@code +} as space), then decoded again,
     * NFKC-normalised and case-folded ({@link PathFold#foldText}).
     */
    public int foldedQueryCount() {
        return foldedQuery().length / 2;
    }

    public String foldedQueryName(int i) {
        return foldedQuery()[2 * i];
    }

    public String foldedQueryValue(int i) {
        return foldedQuery()[2 * i + 1];
    }

    /** The folded form of a query parameter name as a deny rule writes it (NFKC, case-folded). */
    public static String foldQueryName(String name) {
        return PathFold.foldText(name);
    }

    private String[] foldedQuery() {
        if (foldedQuery == null) {
            String[] pairs = rawQuery == null ? NO_QUERY : parseQuery(rawQuery, "&;");
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = PathFold.foldText(pairs[i]);
            }
            foldedQuery = pairs;
        }
        return foldedQuery;
    }

    private static int pathEnd(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return target.length();
    }

    private static boolean isPlain(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 0x80 || !PLAIN[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a path that is not plain, refusing what servers read differently. Raw non-ASCII
     * characters (never in a proxied request line, whose bytes are ASCII, but in paths typed at the
     * CLI) are taken as Unicode.
     */
    private static String decode(String raw) {
        byte[] bytes = new byte[isAscii(raw) ? raw.length() : raw.length() * 3];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0 || raw.charAt(i + 1) >= 0x80 || raw.charAt(i + 2) >= 0x80) {
                    throw new PathRefusal("invalid percent-encoding in path");
                }
                int v = (hi << 4) | lo;
                checkByte(v, true);
                bytes[n++] = (byte) v;
                i += 2;
            } else if (c < 0x80) {
                checkByte(c, false);
                bytes[n++] = (byte) c;
            } else {
                int cp = raw.codePointAt(i);
                if (Character.isSurrogate((char) cp)) {
                    throw new PathRefusal("invalid UTF-8 in path");
                }
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    bytes[n++] = b;
                }
                i += Character.charCount(cp) - 1;
            }
        }
        String path = utf8(bytes, n);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c >= 0x80 && c <= 0x9f) {
                throw new PathRefusal("control character in path");
            }
        }
        return path;
    }

    /**
     * The canonical spelling of a path {@link #decode} accepted: escapes of unreserved characters
     * decoded, other escapes with upper-case hex, characters outside {@link #PLAIN} escaped (as
     * UTF-8). Returns {@code raw} itself when it is canonical already, as most encoded paths are.
     */
    private static String canonicalPath(String raw) {
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            String replacement = null;
            int width = 1;
            if (c == '%') {
                int v = (Character.digit(raw.charAt(i + 1), 16) << 4) | Character.digit(raw.charAt(i + 2), 16);
                width = 3;
                if (v < 0x80 && UNRESERVED[v]) {
                    replacement = String.valueOf((char) v);
                } else if (isLowerHex(raw.charAt(i + 1)) || isLowerHex(raw.charAt(i + 2))) {
                    replacement = escape(new StringBuilder(3), v).toString();
                }
            } else if (c >= 0x80) {
                int cp = raw.codePointAt(i);
                width = Character.charCount(cp);
                StringBuilder sb = new StringBuilder(12);
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    escape(sb, b & 0xff);
                }
                replacement = sb.toString();
            } else if (!PLAIN[c]) {
                replacement = escape(new StringBuilder(3), c).toString();
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(raw.length() + 16).append(raw, 0, i);
            }
            if (out != null) {
                out.append(replacement != null ? replacement : raw.substring(i, i + width));
            }
            i += width - 1;
        }
        return out == null ? raw : out.toString();
    }

    private static boolean isLowerHex(char c) {
        return c >= 'a' && c <= 'f';
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Refuses the bytes common servers read differently, raw or (when {@code encoded}) escaped. */
    private static void checkByte(int v, boolean encoded) {
        if (v < 0x20 || v == 0x7f) {
            throw new PathRefusal("control character in path");
        }
        if (v == '\\') {
            throw new PathRefusal("backslash in path");
        }
        if (encoded && v == '/') {
            throw new PathRefusal("encoded slash in path");
        }
        if (encoded && (v == '?' || v == '#')) {
            throw new PathRefusal("encoded ? or # in path");
        }
    }

    private static StringBuilder escape(StringBuilder sb, int v) {
        return sb.append('%').append(HEX[v >> 4]).append(HEX[v & 0xf]);
    }

    private static String utf8(byte[] bytes, int n) {
        for (int i = 0; i < n; i++) {
            if (bytes[i] < 0) {
                try {
                    return StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, 0, n))
                            .toString();
                } catch (CharacterCodingException e) {
                    throw new PathRefusal("invalid UTF-8 in path");
                }
            }
        }
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Splits a query on any of {@code separators} and decodes the pairs; null when an escape is invalid. */
    private static String[] parseQuery(String query, String separators) {
        List<String> out = new ArrayList<>();
        int len = query.length();
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || separators.indexOf(query.charAt(i)) >= 0) {
                if (i > start) {
                    String pair = query.substring(start, i);
                    int eq = pair.indexOf('=');
                    String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
                    String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
                    if (name == null || value == null) {
                        return null;
                    }
                    out.add(name);
                    out.add(value);
                }
                start = i + 1;
            }
        }
        return out.toArray(NO_QUERY);
    }

    /** Percent-decodes a query name or value as UTF-8 with {@code +} as space; null when invalid. */
    private static String decodeQuery(String s) {
        if (s.indexOf('%') < 0) {
            return s.indexOf('+') >= 0 ? s.replace('+', ' ') : s;
        }
        byte[] bytes = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0 || s.charAt(i + 1) >= 0x80 || s.charAt(i + 2) >= 0x80) {
                    return null;
                }
                bytes[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (c == '+') {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(enc, 0, bytes, n, enc.length);
                n += enc.length;
            }
        }
        try {
            return utf8(bytes, n);
        } catch (PathRefusal e) {
            return null;
        }
    }
}
