package dev.openshell.sandbox.proxy.transparent;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.proxy.http.RejectedRequest;
import dev.openshell.sandbox.proxy.http.RequestHeadScan;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads the {@code Host} of the first plaintext HTTP request at the start of a buffer without
 * consuming anything. The head must pass the explicit proxy's strict {@link RequestHeadScan}
 * (no smuggling, folding or oversized heads), carry exactly one {@code Host} and an origin-form
 * target; bytes whose first line is not an HTTP request line are recognised as another protocol
 * as soon as that line is complete.
 */
final class HttpHostHead {

    /** What the buffer says so far. */
    sealed interface Result {}

    /** More bytes are needed. */
    record Incomplete() implements Result {}

    /** A complete, acceptable head. */
    record Named(String host, String method, String target) implements Result {}

    /** An HTTP head the proxy refuses; answered with {@code status}. */
    record Refused(RejectedRequest why) implements Result {}

    /** The first line is not an HTTP/1.x request line. */
    record NotHttp() implements Result {}

    private static final Incomplete INCOMPLETE = new Incomplete();

    private final RequestHeadScan scan;

    HttpHostHead(int maxHeaderBytes, int maxHeaders) {
        this.scan = new RequestHeadScan(maxHeaderBytes, maxHeaders);
    }

    /** Whether {@code first} can start an HTTP request (a method is an upper-case token). */
    static boolean mayBeHttp(byte first) {
        return first >= 'A' && first <= 'Z';
    }

    Result examine(ByteBuf in) {
        int start = in.readerIndex();
        int lineEnd = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lineEnd >= 0 && !isRequestLine(in.toString(start, lineEnd - start, StandardCharsets.ISO_8859_1))) {
            return new NotHttp();
        }
        RequestHeadScan.Verdict verdict = scan.scan(in);
        if (verdict instanceof RequestHeadScan.Incomplete) {
            return lineEnd < 0 && in.readableBytes() > 8192 ? new NotHttp() : INCOMPLETE;
        }
        if (verdict instanceof RejectedRequest refused) {
            return new Refused(refused);
        }
        return named(in.toString(StandardCharsets.ISO_8859_1));
    }

    private static Result named(String text) {
        String[] lines = text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n");
        String[] requestLine = lines[0].split(" ");
        String target = requestLine[1];
        if (!target.startsWith("/")) {
            return refused("a request captured on its way to a server must use an origin-form target (GET /path)");
        }
        String host = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (lines[i].substring(0, colon).equalsIgnoreCase("host")) {
                if (host != null) {
                    return refused("more than one Host header");
                }
                host = lines[i].substring(colon + 1).strip();
            }
        }
        if (host == null || host.isEmpty()) {
            return refused("no Host header: the request cannot be attributed to a destination name");
        }
        return new Named(host, requestLine[0], target);
    }

    private static boolean isRequestLine(String line) {
        if (!line.endsWith("\r")) {
            return false;
        }
        String[] parts = line.substring(0, line.length() - 1).split(" ", -1);
        return parts.length == 3
                && !parts[0].isEmpty()
                && parts[0].chars().allMatch(c -> c >= 'A' && c <= 'Z' || c == '-' || c == '_')
                && parts[2].toUpperCase(Locale.ROOT).startsWith("HTTP/");
    }

    private static Refused refused(String detail) {
        return new Refused(new RejectedRequest(ErrorCode.BAD_REQUEST, detail));
    }
}
