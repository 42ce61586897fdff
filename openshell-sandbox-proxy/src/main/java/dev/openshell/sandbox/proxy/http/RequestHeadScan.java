package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import io.netty.buffer.ByteBuf;
import java.util.Locale;

/**
 * A strict check of a raw request head before Netty's decoder sees it. Netty's decoder is lenient
 * where leniency lets requests be smuggled past a proxy: it unfolds obsolete line folding and
 * silently prefers {@code Transfer-Encoding} over a conflicting {@code Content-Length}. This scan
 * refuses such heads outright, and enforces the header size and count limits.
 */
public final class RequestHeadScan {

    /** What a scan found: the head is acceptable ({@link #OK}), not complete yet ({@link #INCOMPLETE}), or refused. */
    public sealed interface Verdict permits Accepted, Incomplete, RejectedRequest {}

    /** The head is complete and acceptable. */
    public record Accepted() implements Verdict {}

    /** The head is not complete yet and still within the size limit. */
    public record Incomplete() implements Verdict {}

    /** Returned while the head is not complete yet and still within the size limit. */
    public static final Verdict INCOMPLETE = new Incomplete();

    /** Returned when the head is acceptable. */
    public static final Verdict OK = new Accepted();

    private static final int MAX_REQUEST_LINE = 8192;

    private final int maxHeaderBytes;
    private final int maxHeaders;
    // Bytes of the current head already searched for its end, so that a head arriving one byte
    // at a time costs linear, not quadratic, work.
    private int searched;

    public RequestHeadScan(int maxHeaderBytes, int maxHeaders) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaders = maxHeaders;
    }

    /** Forgets the progress on the current head; call when a head was accepted or the input consumed. */
    public void reset() {
        searched = 0;
    }

    /**
     * Scans the head at the start of {@code in} (leading empty lines are skipped, as RFC 9112
     * allows) without consuming anything.
     *
     * @return {@link #OK}, {@link #INCOMPLETE}, or the rejection to answer with
     */
    public Verdict scan(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        while (start < end && (in.getByte(start) == '\r' || in.getByte(start) == '\n')) {
            start++;
        }
        int limit = Math.min(end, start + maxHeaderBytes);
        int headEnd = -1;
        int from = Math.max(start, start + searched - 3);
        for (int i = from; i < limit; i++) {
            if (in.getByte(i) == '\n') {
                if (i == start || in.getByte(i - 1) != '\r') {
                    return reject(ErrorCode.BAD_REQUEST, "line ends with a bare LF, not CRLF");
                }
                if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                    headEnd = i + 3;
                    break;
                }
            }
        }
        if (headEnd < 0) {
            searched = limit - start;
            if (end - start >= maxHeaderBytes) {
                return firstLineTooLong(in, start, limit)
                        ? reject(ErrorCode.URI_TOO_LONG, "request line too long")
                        : reject(ErrorCode.HEADERS_TOO_LARGE, "request head larger than " + maxHeaderBytes + " bytes");
            }
            return INCOMPLETE;
        }
        searched = 0;
        return checkHead(in, start, headEnd, maxHeaders);
    }

    private static boolean firstLineTooLong(ByteBuf in, int start, int limit) {
        int nl = in.indexOf(start, limit, (byte) '\n');
        return nl < 0 && limit - start > MAX_REQUEST_LINE;
    }

    private static Verdict checkHead(ByteBuf in, int start, int headEnd, int maxHeaders) {
        int lineStart = start;
        int lineNo = 0;
        int headers = 0;
        String contentLength = null;
        int transferEncodings = 0;
        String transferEncoding = null;
        while (lineStart < headEnd - 2) {
            int lineEnd = in.indexOf(lineStart, headEnd, (byte) '\r');
            String line = in.toString(lineStart, lineEnd - lineStart, java.nio.charset.StandardCharsets.ISO_8859_1);
            lineStart = lineEnd + 2;
            if (lineNo++ == 0) {
                Verdict r = checkRequestLine(line);
                if (r != OK) {
                    return r;
                }
                continue;
            }
            if (line.isEmpty()) {
                break;
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                return reject(ErrorCode.BAD_REQUEST, "obsolete line folding in headers");
            }
            if (++headers > maxHeaders) {
                return reject(ErrorCode.TOO_MANY_HEADERS, "more than " + maxHeaders + " header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line, 0, colon)) {
                return reject(ErrorCode.BAD_REQUEST, "malformed header field name");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    return reject(ErrorCode.BAD_REQUEST, "control character in header value");
                }
            }
            if (name.equals("content-length")) {
                Verdict r = checkContentLength(value, contentLength);
                if (r != OK) {
                    return r;
                }
                contentLength = value.split(",")[0].strip();
            } else if (name.equals("transfer-encoding")) {
                transferEncodings++;
                transferEncoding = value;
            }
        }
        if (transferEncodings > 0) {
            if (contentLength != null) {
                return reject(ErrorCode.AMBIGUOUS_FRAMING, "both Content-Length and Transfer-Encoding present");
            }
            if (transferEncodings > 1 || !transferEncoding.equalsIgnoreCase("chunked")) {
                return reject(ErrorCode.AMBIGUOUS_FRAMING, "only a single `Transfer-Encoding: chunked` is accepted");
            }
        }
        return OK;
    }

    private static Verdict checkRequestLine(String line) {
        if (line.length() > MAX_REQUEST_LINE) {
            return reject(ErrorCode.URI_TOO_LONG, "request line too long");
        }
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 <= sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0 || !isToken(line, 0, sp1)) {
            return reject(ErrorCode.BAD_REQUEST, "not an HTTP request line");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            char c = line.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return reject(ErrorCode.BAD_REQUEST, "invalid character in request target");
            }
        }
        String version = line.substring(sp2 + 1);
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            return reject(ErrorCode.VERSION_NOT_SUPPORTED, "only HTTP/1.x is spoken here");
        }
        return OK;
    }

    private static Verdict checkContentLength(String value, String previous) {
        String first = null;
        for (String part : value.split(",", -1)) {
            String v = part.strip();
            if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
                return reject(ErrorCode.AMBIGUOUS_FRAMING, "invalid Content-Length");
            }
            if (first != null && !first.equals(v) || previous != null && !previous.equals(v)) {
                return reject(ErrorCode.AMBIGUOUS_FRAMING, "conflicting Content-Length values");
            }
            first = v;
        }
        return OK;
    }

    private static boolean isToken(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static RejectedRequest reject(ErrorCode error, String detail) {
        return new RejectedRequest(error, detail);
    }
}
