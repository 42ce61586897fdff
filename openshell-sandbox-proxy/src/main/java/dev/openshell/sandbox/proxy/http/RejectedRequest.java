package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * Emitted by {@link GuardedRequestDecoder} instead of a request when the input is refused (too
 * large, ambiguous framing, too slow, not HTTP). The connection is answered and closed.
 *
 * @param error what is wrong, e.g. {@code headers_too_large}; it decides the response status
 * @param detail a sentence for the client
 */
public record RejectedRequest(ErrorCode error, String detail) implements RequestHeadScan.Verdict {

    public RejectedRequest {
        Objects.requireNonNull(error, "error");
    }

    /** The status the client is answered with: the code's. */
    public HttpResponseStatus status() {
        return HttpResponseStatus.valueOf(error.httpStatus());
    }
}
