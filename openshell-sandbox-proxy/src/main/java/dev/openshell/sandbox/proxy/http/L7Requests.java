package dev.openshell.sandbox.proxy.http;

import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.Iterator;
import java.util.Map;

/** Builds the policy's view of an HTTP request: method, target, header size and whether it has a body. */
public final class L7Requests {

    private L7Requests() {}

    /**
     * What the policy measures of a request, taken before the proxy rewrites its headers: the size
     * of the header fields the client sent, and whether a body follows.
     */
    public record Measured(int headerBytes, boolean hasBody) {

        public L7Request toL7(L4Request connection, String method, String target) {
            return new L7Request(connection, method, target, headerBytes, hasBody);
        }
    }

    /** Measures {@code request} as sent. */
    public static Measured measure(HttpRequest request) {
        return new Measured(headerBytes(request), hasBody(request));
    }

    /** The request as the policy evaluates it; call before rewriting its headers. */
    public static L7Request of(L4Request connection, HttpRequest request, String target) {
        return measure(request).toL7(connection, request.method().name(), target);
    }

    /** Every header field as {@code name: value} plus CRLF. */
    static int headerBytes(HttpRequest request) {
        long total = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it =
                        request.headers().iteratorCharSequence();
                it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            total += e.getKey().length() + 2 + e.getValue().length() + 2;
        }
        return (int) Math.min(total, Integer.MAX_VALUE);
    }

    /** A body by length ({@code Content-Length} above 0) or chunked (of any length). */
    public static boolean hasBody(HttpRequest request) {
        return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    }
}
