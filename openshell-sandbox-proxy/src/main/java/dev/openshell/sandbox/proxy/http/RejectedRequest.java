package dev.openshell.sandbox.proxy.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Emitted by {@link GuardedRequestDecoder} instead of a request when the input is refused (too
 * large, ambiguous framing, too slow, not HTTP). The connection is answered and closed.
 *
 * @param error a stable code such as {@code headers_too_large}
 * @param detail a sentence for the client
 */
public record RejectedRequest(HttpResponseStatus status, String error, String detail) {}
