package dev.openshell.sandbox.json;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON setup of the sandbox (Jackson 3): a streaming {@link JsonFactory} for the proxy's
 * hot paths (decision log lines, denial bodies) and a {@link JsonMapper} on the same factory for
 * the supervisor's records (status, log lines, control replies, sandbox specs). Both write one line
 * per document and escape control characters, DEL, U+2028 and U+2029 ({@link LineSafeEscapes}).
 */
public final class SandboxJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .characterEscapes(new LineSafeEscapes())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    // Reads what this or another version of the supervisor wrote: unknown fields are ignored, absent
    // numbers are 0. A duplicate key or trailing data is an error.
    private static final JsonMapper MAPPER = JsonMapper.builder(FACTORY)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SandboxJson() {}

    /** The streaming factory; its generators are cheap and not thread-safe (one per document). */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /** The mapper for records and trees; thread-safe, share it. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** A generator writing UTF-8 to {@code out}; closing it flushes but leaves {@code out} open. */
    public static JsonGenerator generator(java.io.OutputStream out) {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    /**
     * {@code text} with every lone surrogate (half of a pair, alone) replaced by U+FFFD. Such a
     * {@code char} has no UTF-8 form: written as an escape it would parse back into a string many
     * readers refuse to store or re-encode. Returns {@code text} itself when it has none.
     */
    public static String wellFormed(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return replaceLoneSurrogates(text);
                }
            }
        }
        return text;
    }

    private static String replaceLoneSurrogates(String text) {
        StringBuilder b = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                b.append(c).append(text.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\ufffd' : c);
            }
        }
        return b.toString();
    }
}
