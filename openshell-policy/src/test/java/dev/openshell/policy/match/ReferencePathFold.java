package dev.openshell.policy.match;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference the fold property test compares {@link PathFold} with: the folding rules of the
 * policy reference written out step by step with regular expressions and the JDK's decoders,
 * sharing no code with the production fold. Empty means the path is refused.
 */
final class ReferencePathFold {

    private static final Pattern ESCAPES = Pattern.compile("(%[0-9A-Fa-f]{2})+");
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f-\\x9f]");
    private static final String BLANK_OR_DOT = "[.\\p{javaWhitespace}\\p{Zs}]";
    private static final Pattern DOTS_ONLY = Pattern.compile(BLANK_OR_DOT + "*\\." + BLANK_OR_DOT + "*");
    private static final Pattern TRAILING = Pattern.compile(BLANK_OR_DOT + "+$");
    private static final Pattern PARAMETER_OR_STREAM = Pattern.compile("(;|::|:\\$).*$", Pattern.DOTALL);
    private static final int ROUNDS = 4;

    private ReferencePathFold() {}

    static Optional<String> fold(String decodedPath) {
        List<String> out = new ArrayList<>();
        boolean ended = false;
        for (String segment : decodedPath.substring(1).split("/", -1)) {
            String s = segment;
            int rounds = 0;
            while (true) {
                String next = decodeEscapes(s);
                if (next == null) {
                    return Optional.empty(); // invalid UTF-8
                }
                next = Normalizer.normalize(next, Normalizer.Form.NFKC);
                if (next.equals(s)) {
                    break;
                }
                if (++rounds > ROUNDS) {
                    return Optional.empty();
                }
                s = next;
            }
            if (CONTROL.matcher(s).find() || s.contains("/") || s.contains("\\")) {
                return Optional.empty();
            }
            int end = firstOf(s, "?#");
            boolean last = end >= 0;
            if (last) {
                s = s.substring(0, end);
            }
            s = PARAMETER_OR_STREAM.matcher(s).replaceFirst("");
            StringBuilder folded = new StringBuilder();
            s.codePoints().forEach(cp -> folded.appendCodePoint(Character.toLowerCase(Character.toUpperCase(cp))));
            s = Normalizer.normalize(folded, Normalizer.Form.NFKC);
            if (DOTS_ONLY.matcher(s).matches()) {
                return Optional.empty();
            }
            s = TRAILING.matcher(s).replaceAll("");
            if (!s.isEmpty() && !ended) {
                out.add(s);
            }
            ended |= last;
        }
        return Optional.of("/" + String.join("/", out));
    }

    private static int firstOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Decodes every run of valid escapes as UTF-8; null when a run is not valid UTF-8. */
    private static String decodeEscapes(String s) {
        Matcher m = ESCAPES.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String run = m.group();
            byte[] bytes = new byte[run.length() / 3];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Integer.parseInt(run.substring(3 * i + 1, 3 * i + 3), 16);
            }
            try {
                String text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes))
                        .toString();
                m.appendReplacement(sb, Matcher.quoteReplacement(text));
            } catch (CharacterCodingException e) {
                return null;
            }
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
