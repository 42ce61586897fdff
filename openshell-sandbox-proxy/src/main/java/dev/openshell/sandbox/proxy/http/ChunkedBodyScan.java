package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import io.netty.buffer.ByteBuf;
import java.util.Locale;
import java.util.Set;

/**
 * A strict, incremental check of a chunked request body (RFC 9112 section 7.1) before Netty's
 * decoder reads it. Netty's chunk parsing is lenient where a proxy must not be: it accepts {@code
 * +5} or {@code -0} as sizes, skips any bytes up to the next LF after chunk data, unfolds folded
 * trailer lines, and drops framing fields from trailers silently. A body that passes this scan is
 * read by Netty exactly as framed; anything else is refused as it arrives, so a broken body never
 * holds both connections open.
 *
 * <p>Accepted: sizes of 1 to 8 hex digits (at most {@link Integer#MAX_VALUE}), extensions {@code
 * ;name[=token|"quoted"]} with optional whitespace around {@code ;} and {@code =} (not after a token
 * value), a size line of at
 * most {@link #MAX_SIZE_LINE} bytes, CRLF everywhere, trailer fields without folding, control
 * characters or non-ASCII bytes, none of {@link #FORBIDDEN_TRAILERS}, within the head limits.
 * Non-ASCII bytes are refused in extensions and trailers alike: Netty's line parser does not read
 * them reliably, and nothing legitimate needs them there.
 */
final class ChunkedBodyScan {

    /** Longest chunk-size line, extensions included (real clients send a few bytes). */
    static final int MAX_SIZE_LINE = 1024;

    /**
     * Fields a trailer may not carry: framing, routing, connection control, authentication, and
     * what describes the content (RFC 9110 section 6.5.1), since a recipient merging trailers into
     * the head would see them as if checked.
     */
    static final Set<String> FORBIDDEN_TRAILERS = Set.of(
            "transfer-encoding",
            "content-length",
            "host",
            "connection",
            "keep-alive",
            "upgrade",
            "te",
            "trailer",
            "expect",
            "proxy-authorization",
            "proxy-connection",
            "authorization",
            "cookie",
            "content-type",
            "content-encoding",
            "content-range",
            "range",
            "max-forwards",
            "cache-control");

    private enum State {
        SIZE,
        SIZE_BWS,
        EXT_BWS,
        EXT_NAME,
        EXT_NAME_BWS,
        EXT_VALUE_BWS,
        EXT_TOKEN,
        EXT_QUOTED,
        EXT_QUOTED_ESCAPE,
        EXT_AFTER_VALUE,
        SIZE_LF,
        DATA,
        DATA_CR,
        DATA_LF,
        TRAILER_START,
        TRAILER_LINE,
        TRAILER_LF,
        END_LF,
        DONE,
        FAILED
    }

    private final int maxTrailerBytes;
    private final int maxTrailers;
    private State state = State.SIZE;
    private int digits;
    private long size;
    private long remaining;
    private int lineBytes;
    private int trailerBytes;
    private int trailers;
    private final StringBuilder trailerLine = new StringBuilder();
    private RejectedRequest failure;

    ChunkedBodyScan(int maxTrailerBytes, int maxTrailers) {
        this.maxTrailerBytes = maxTrailerBytes;
        this.maxTrailers = maxTrailers;
    }

    /** Whether the whole body, trailers and final CRLF included, has been seen. */
    boolean done() {
        return state == State.DONE;
    }

    /** The refusal once the body is known to be malformed, else {@code null}. */
    RejectedRequest failure() {
        return failure;
    }

    /**
     * Checks {@code buf[from, to)}, which continues what earlier calls saw. Stops at the end of the
     * body (the bytes after it are the next request) or at the first byte in error.
     *
     * @return how many bytes were checked and found well framed
     */
    int scan(ByteBuf buf, int from, int to) {
        int i = from;
        while (i < to && state != State.DONE && state != State.FAILED) {
            if (state == State.DATA) {
                int n = (int) Math.min(remaining, to - i);
                i += n;
                remaining -= n;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            if (!step(buf.getByte(i) & 0xff)) {
                return i - from;
            }
            i++;
        }
        return i - from;
    }

    /** Takes one byte outside chunk data; false when it is refused. */
    private boolean step(int b) {
        if (isSizeLine() && b != '\r' && ++lineBytes > MAX_SIZE_LINE) {
            return fail("chunk size line longer than " + MAX_SIZE_LINE + " bytes");
        }
        switch (state) {
            case SIZE -> {
                int hex = Character.digit(b, 16);
                if (hex >= 0 && b < 0x80) {
                    if (++digits > 8) {
                        return fail("chunk size longer than 8 hex digits");
                    }
                    if ((size << 4 | hex) > Integer.MAX_VALUE) {
                        return fail("chunk size too large");
                    }
                    size = size << 4 | hex;
                } else if (digits == 0) {
                    return fail(b == '\r' || b == '\n' ? "empty chunk size" : "invalid chunk size");
                } else if (b == '\r') {
                    state = State.SIZE_LF;
                } else if (b == ';') {
                    state = State.EXT_BWS;
                } else if (b == ' ' || b == '\t') {
                    state = State.SIZE_BWS;
                } else {
                    return fail(b == '\n' ? "chunk size line ends with a bare LF" : "invalid chunk size");
                }
            }
            case SIZE_BWS -> {
                if (b == ';') {
                    state = State.EXT_BWS;
                } else if (b != ' ' && b != '\t') {
                    return fail("whitespace after a chunk size is allowed only before an extension");
                }
            }
            case EXT_BWS -> {
                if (isTchar(b)) {
                    state = State.EXT_NAME;
                } else if (b != ' ' && b != '\t') {
                    return fail("chunk extension without a name");
                }
            }
            case EXT_NAME -> {
                if (isTchar(b)) {
                    return true;
                }
                return afterExtension(b, true);
            }
            case EXT_NAME_BWS -> {
                return afterExtension(b, true);
            }
            case EXT_VALUE_BWS -> {
                if (b == '"') {
                    state = State.EXT_QUOTED;
                } else if (isTchar(b)) {
                    state = State.EXT_TOKEN;
                } else if (b != ' ' && b != '\t') {
                    return fail("chunk extension without a value after `=`");
                }
            }
            case EXT_TOKEN -> {
                if (b == ' ' || b == '\t') {
                    // Netty's chunk-line check refuses it too; accepting less than Netty keeps both readings equal
                    return fail("whitespace after a chunk extension value");
                }
                if (!isTchar(b)) {
                    return afterExtension(b, false);
                }
            }
            case EXT_QUOTED -> {
                if (b == '"') {
                    state = State.EXT_AFTER_VALUE;
                } else if (b == '\\') {
                    state = State.EXT_QUOTED_ESCAPE;
                } else if (!isQdtext(b)) {
                    return fail("invalid character in a quoted chunk extension");
                }
            }
            case EXT_QUOTED_ESCAPE -> {
                if (!(b == '\t' || b == ' ' || (b > 0x20 && b < 0x7f))) {
                    return fail("invalid escape in a quoted chunk extension");
                }
                state = State.EXT_QUOTED;
            }
            case EXT_AFTER_VALUE -> {
                return afterExtension(b, false);
            }
            case SIZE_LF -> {
                if (b != '\n') {
                    return fail("chunk size line ends with a bare CR");
                }
                lineBytes = 0;
                if (size == 0) {
                    state = State.TRAILER_START;
                } else {
                    remaining = size;
                    state = State.DATA;
                }
                digits = 0;
                size = 0;
            }
            case DATA_CR -> {
                if (b != '\r') {
                    return fail("chunk data is not followed by CRLF (more data than the chunk size says?)");
                }
                state = State.DATA_LF;
            }
            case DATA_LF -> {
                if (b != '\n') {
                    return fail("chunk data is followed by a bare CR");
                }
                state = State.SIZE;
            }
            case TRAILER_START -> {
                if (b == '\r') {
                    state = State.END_LF;
                } else if (b == ' ' || b == '\t') {
                    return fail("obsolete line folding in trailers");
                } else {
                    return trailerByte(b);
                }
            }
            case TRAILER_LINE -> {
                if (b == '\r') {
                    state = State.TRAILER_LF;
                    return true;
                }
                return trailerByte(b);
            }
            case TRAILER_LF -> {
                if (b != '\n') {
                    return fail("trailer line ends with a bare CR");
                }
                if (++trailers > maxTrailers) {
                    return fail("more than " + maxTrailers + " trailer fields");
                }
                String problem = trailerProblem(trailerLine.toString());
                trailerLine.setLength(0);
                if (problem != null) {
                    return fail(problem);
                }
                state = State.TRAILER_START;
            }
            case END_LF -> {
                if (b != '\n') {
                    return fail("chunked body ends with a bare CR");
                }
                state = State.DONE;
            }
            default -> throw new IllegalStateException(state.name());
        }
        return true;
    }

    /** Whether the byte belongs to a chunk-size line (not counting its CRLF). */
    private boolean isSizeLine() {
        return state.ordinal() < State.SIZE_LF.ordinal();
    }

    /** After an extension name or value: more whitespace, `=` (after a name), the next `;`, or CR. */
    private boolean afterExtension(int b, boolean afterName) {
        if (b == ' ' || b == '\t') {
            state = afterName ? State.EXT_NAME_BWS : State.EXT_AFTER_VALUE;
        } else if (b == ';') {
            state = State.EXT_BWS;
        } else if (b == '=' && afterName) {
            state = State.EXT_VALUE_BWS;
        } else if (b == '\r') {
            state = State.SIZE_LF;
        } else {
            return fail(b == '\n' ? "chunk size line ends with a bare LF" : "invalid character in a chunk extension");
        }
        return true;
    }

    private boolean trailerByte(int b) {
        if (b == '\n') {
            return fail("trailer line ends with a bare LF");
        }
        if ((b < 0x20 && b != '\t') || b == 0x7f) {
            return fail("control character in trailers");
        }
        if (b >= 0x80) {
            return fail("non-ASCII byte in trailers");
        }
        if (++trailerBytes > maxTrailerBytes) {
            return fail("trailers larger than " + maxTrailerBytes + " bytes");
        }
        trailerLine.append((char) b);
        state = State.TRAILER_LINE;
        return true;
    }

    private static String trailerProblem(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return "malformed trailer field";
        }
        for (int i = 0; i < colon; i++) {
            if (!isTchar(line.charAt(i))) {
                return "malformed trailer field name";
            }
        }
        String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
        if (FORBIDDEN_TRAILERS.contains(name) || name.startsWith("proxy-")) {
            return "`" + name + "` is not allowed in trailers";
        }
        return null;
    }

    private boolean fail(String detail) {
        state = State.FAILED;
        failure = new RejectedRequest(ErrorCode.BAD_CHUNKED_BODY, detail);
        return false;
    }

    private static boolean isTchar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || (c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    private static boolean isQdtext(int c) {
        return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
    }
}
