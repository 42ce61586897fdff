package dev.openshell.policy.match;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An origin-form HTTP request target split and decoded for matching. The path is
 * percent-decoded; an encoded slash ({@code %2F}) or NUL ({@code %00}), invalid
 * percent-encoding or UTF-8, and a {@code .} or {@code ..} segment (after decoding) make the
 * target invalid, because servers disagree on how to interpret them. {@code //} is kept. The
 * query is split on {@code &} into {@code name=value} pairs, percent-decoded with {@code +} as
 * space.
 */
public final class RequestTarget {

    private static final String[] NO_QUERY = new String[0];

    private final String rawPath;
    private final String path;
    private final String[] query;
    private final String error;

    private RequestTarget(String rawPath, String path, String[] query, String error) {
        this.rawPath = rawPath;
        this.path = path;
        this.query = query;
        this.error = error;
    }

    /** Parses a request target; check {@link #error()} before using the result. */
    public static RequestTarget parse(String target) {
        int q = target.indexOf('?');
        String raw = q < 0 ? target : target.substring(0, q);
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            return invalid(raw, "request target must be a path");
        }
        String path = raw;
        if (raw.indexOf('%') >= 0) {
            path = decode(raw, false);
            if (path == null) {
                return invalid(raw, "invalid percent-encoding in path");
            }
            if (path == ENCODED_SLASH) {
                return invalid(raw, "encoded slash in path");
            }
            if (path == ENCODED_NUL) {
                return invalid(raw, "encoded NUL in path");
            }
        }
        if (hasDotSegment(path)) {
            return invalid(raw, "dot-segment in path");
        }
        if (q < 0 || q == target.length() - 1) {
            return new RequestTarget(raw, path, NO_QUERY, null);
        }
        String[] query = parseQuery(target, q + 1);
        if (query == null) {
            return invalid(raw, "invalid percent-encoding in query");
        }
        return new RequestTarget(raw, path, query, null);
    }

    private static RequestTarget invalid(String raw, String error) {
        return new RequestTarget(raw, null, NO_QUERY, error);
    }

    /** The path as sent (still encoded, never the query): what reasons may show. */
    public String rawPath() {
        return rawPath;
    }

    /** The decoded path, or {@code null} when invalid. */
    public String path() {
        return path;
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

    private static boolean hasDotSegment(String p) {
        int len = p.length();
        int start = 1; // p starts with '/'
        for (int i = 1; i <= len; i++) {
            if (i == len || p.charAt(i) == '/') {
                int segLen = i - start;
                if ((segLen == 1 && p.charAt(start) == '.')
                        || (segLen == 2 && p.charAt(start) == '.' && p.charAt(start + 1) == '.')) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static String[] parseQuery(String target, int from) {
        List<String> out = new ArrayList<>();
        int len = target.length();
        int start = from;
        for (int i = from; i <= len; i++) {
            if (i == len || target.charAt(i) == '&') {
                if (i > start) {
                    String pair = target.substring(start, i);
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
                    String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
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

    /** Sentinels returned by {@link #decode} for an encoded slash or NUL in a path. */
    private static final String ENCODED_SLASH = new String("encoded slash");

    private static final String ENCODED_NUL = new String("encoded NUL");

    /**
     * Percent-decodes as UTF-8.
     *
     * @return the decoded text; {@code null} for invalid encoding; {@link #ENCODED_SLASH} or
     *     {@link #ENCODED_NUL} when a path contains {@code %2F} or {@code %00}
     */
    private static String decode(String s, boolean query) {
        if (s.indexOf('%') < 0) {
            return query && s.indexOf('+') >= 0 ? s.replace('+', ' ') : s;
        }
        byte[] bytes = new byte[s.length() * 3];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                int v = (hi << 4) | lo;
                if (!query && v == '/') {
                    return ENCODED_SLASH;
                }
                if (!query && v == 0) {
                    return ENCODED_NUL;
                }
                bytes[n++] = (byte) v;
                i += 2;
            } else if (query && c == '+') {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                byte[] enc = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(enc, 0, bytes, n, enc.length);
                n += enc.length;
            }
        }
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder dec = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = dec.decode(ByteBuffer.wrap(bytes, 0, n));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
