package dev.openshell.policy.match;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * The folded form of a decoded request path: the one spelling every reading of the path by a
 * common server collapses to, which deny rules are matched against. Per segment: escapes left
 * after the first decoding are decoded again and compatibility forms normalised (NFKC) until
 * nothing changes (double encoding, full-width letters); a matrix parameter ({@code ;...}) is
 * cut off (Tomcat, Spring), and so is an NTFS stream suffix ({@code ::$DATA}, IIS); case is folded (case-insensitive servers, including Java's {@code
 * equalsIgnoreCase} mappings such as {@code ı} to {@code i}); trailing dots and blanks are
 * stripped (IIS, Windows); empty segments and a trailing slash disappear (nginx, Express). A
 * {@code ?} or {@code #} that only appears through that decoding ends the folded path.
 *
 * <p>Folding also refuses what no fold can make safe, for allow rules as much as for deny rules:
 * a segment made only of dots (once parameters and blanks are gone: {@code ..;}, {@code %252e},
 * full-width dots), a slash or backslash hidden by double encoding or a compatibility character,
 * control characters and invalid UTF-8 at any decoding depth, and more than {@value #ROUNDS}
 * extra layers of encoding.
 *
 * <p>Plain ASCII paths (the common case) take a single scan; their fold is the path itself or its
 * lower case, which {@link #foldOrLowerCase} leaves to the caller to compute when needed.
 */
final class PathFold {

    static final int ROUNDS = 4;

    /**
     * Characters a segment may hold on the fast path: printable ASCII and the space, except what
     * folding acts on ({@code %}, {@code ;}) or refuses ({@code \}, {@code ?}, {@code #}).
     */
    private static final boolean[] FAST = new boolean[128];

    static {
        for (char c = 0x20; c < 0x7f; c++) {
            FAST[c] = "%;\\?#".indexOf(c) < 0;
        }
    }

    private PathFold() {}

    /**
     * Folds a decoded path (starting with {@code /}).
     *
     * @throws PathRefusal when the path is ambiguous beyond folding
     */
    static String fold(String path) {
        String folded = foldOrLowerCase(path);
        return folded == null ? asciiLower(path) : folded;
    }

    /**
     * Like {@link #fold}, but returns {@code null} when the fold is just the ASCII lower case of
     * {@code path} (and differs from it), so a caller that may never need it need not copy.
     */
    static String foldOrLowerCase(String path) {
        int len = path.length();
        boolean upper = false;
        for (int i = 1; i < len; i++) {
            char c = path.charAt(i);
            if (c == '/') {
                char prev = path.charAt(i - 1);
                if (prev == '/' || prev == '.' || prev == ' ') {
                    return slow(path); // an empty segment, or one that ends in a dot or a blank
                }
            } else if (c >= 0x80 || !FAST[c] || (c == ':' && isStreamSuffix(path, i))) {
                return slow(path);
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            }
        }
        char last = path.charAt(len - 1);
        if (len > 1 && (last == '/' || last == '.' || last == ' ')) {
            return slow(path);
        }
        return upper ? null : path;
    }

    private static String slow(String path) {
        StringBuilder out = new StringBuilder(path.length());
        boolean ended = false;
        int start = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                String segment = unwrap(path.substring(start, i));
                // Refusals apply to every segment, also those after a `?` that ends the fold.
                int end = indexOfQueryOrFragment(segment);
                String folded = foldSegment(end < 0 ? segment : segment.substring(0, end));
                if (!ended && !folded.isEmpty()) {
                    out.append('/').append(folded);
                }
                ended |= end >= 0;
                start = i + 1;
            }
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    /** Decodes leftover escapes and applies NFKC until stable; refuses what that uncovers. */
    private static String unwrap(String segment) {
        String s = segment;
        for (int round = 0; ; round++) {
            String next = s.indexOf('%') >= 0 ? decodeEscapes(s) : s;
            if (!isAscii(next)) {
                next = Normalizer.normalize(next, Normalizer.Form.NFKC);
            }
            if (next.equals(s)) {
                break;
            }
            if (round == ROUNDS) {
                throw new PathRefusal("too many layers of percent-encoding in path");
            }
            s = next;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw new PathRefusal("control character in path");
            }
            if (c == '/' || c == '\\') {
                throw new PathRefusal("slash or backslash hidden by double encoding or a compatibility character");
            }
        }
        return s;
    }

    /**
     * Cuts the parameter and an NTFS stream suffix, folds case, and strips trailing dots and blanks
     * of an unwrapped segment.
     */
    private static String foldSegment(String segment) {
        int cut = segment.length();
        for (int i = 0; i < cut; i++) {
            char c = segment.charAt(i);
            if (c == ';' || (c == ':' && isStreamSuffix(segment, i))) {
                cut = i;
            }
        }
        String s = segment.substring(0, cut);
        s = caseFold(s);
        if (!isAscii(s)) {
            s = Normalizer.normalize(s, Normalizer.Form.NFKC);
        }
        int end = s.length();
        boolean dot = false;
        while (end > 0 && (s.charAt(end - 1) == '.' || isBlank(s.charAt(end - 1)))) {
            dot |= s.charAt(end - 1) == '.';
            end--;
        }
        if (end == 0 && dot) {
            throw new PathRefusal("dot-segment in path");
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    /**
     * Folds a decoded query name or value for deny rules: leftover escapes decoded and NFKC until
     * stable (at most {@value #ROUNDS} rounds; invalid UTF-8 is left as it is), then case-folded.
     * Never refuses: a query is data, not a location.
     */
    static String foldText(String text) {
        String s = text;
        for (int round = 0; round < ROUNDS; round++) {
            String next = s;
            if (next.indexOf('%') >= 0) {
                try {
                    next = decodeEscapes(next);
                } catch (PathRefusal invalidUtf8) {
                    break;
                }
            }
            if (!isAscii(next)) {
                next = Normalizer.normalize(next, Normalizer.Form.NFKC);
            }
            if (next.equals(s)) {
                break;
            }
            s = next;
        }
        String folded = caseFold(s);
        return isAscii(folded) ? folded : Normalizer.normalize(folded, Normalizer.Form.NFKC);
    }

    /** Lower-case of the upper-case, per code point: {@code ı}, {@code İ} and {@code K} fold to ASCII. */
    static String caseFold(String s) {
        if (isAscii(s)) {
            return asciiLower(s);
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
        return sb.toString();
    }

    /**
     * Whether the {@code :} at {@code i} starts an NTFS stream suffix ({@code ::$DATA}, {@code
     * :$i30:$INDEX_ALLOCATION}): on Windows the name before it is the file or directory itself. A
     * single colon before a name ({@code items:batchGet}) is an ordinary character.
     */
    static boolean isStreamSuffix(CharSequence s, int i) {
        return i + 1 < s.length() && (s.charAt(i + 1) == ':' || s.charAt(i + 1) == '$');
    }

    static boolean isBlank(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static int indexOfQueryOrFragment(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static String asciiLower(String s) {
        int i = 0;
        while (i < s.length() && !(s.charAt(i) >= 'A' && s.charAt(i) <= 'Z')) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        char[] chars = s.toCharArray();
        for (; i < chars.length; i++) {
            char c = chars[i];
            if (c >= 'A' && c <= 'Z') {
                chars[i] = (char) (c + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    /**
     * Decodes the valid {@code %XX} escapes of a segment (a lone {@code %} stays literal, as
     * lenient servers keep it) as UTF-8 together with the characters around them.
     */
    private static String decodeEscapes(String s) {
        byte[] bytes = new byte[s.length() * 4];
        int n = 0;
        boolean decoded = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int hi = c == '%' && i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (lo >= 0 && s.charAt(i + 1) < 0x80 && s.charAt(i + 2) < 0x80) {
                bytes[n++] = (byte) ((hi << 4) | lo);
                decoded = true;
                i += 2;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                int cp = s.codePointAt(i);
                byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(enc, 0, bytes, n, enc.length);
                n += enc.length;
                i += Character.charCount(cp) - 1;
            }
        }
        if (!decoded) {
            return s;
        }
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
