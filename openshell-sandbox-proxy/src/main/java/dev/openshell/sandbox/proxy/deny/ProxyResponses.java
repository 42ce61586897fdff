package dev.openshell.sandbox.proxy.deny;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Builds the proxy's own responses: policy denials and protocol errors, always with a JSON body. */
public final class ProxyResponses {

    private ProxyResponses() {}

    /** {@code 403} with the denial body. */
    public static FullHttpResponse denied(ByteBufAllocator alloc, Denial denial, boolean keepAlive) {
        return json(alloc, HttpResponseStatus.FORBIDDEN, denial.toJson(), keepAlive);
    }

    /**
     * A protocol or upstream error, e.g. {@code 400 bad_request}, {@code 431 headers_too_large},
     * {@code 502 upstream_unreachable}.
     */
    public static FullHttpResponse error(
            ByteBufAllocator alloc, HttpResponseStatus status, String error, String detail, boolean keepAlive) {
        String body = new JsonObject().put("error", error).put("detail", detail).toString();
        return json(alloc, status, body, keepAlive);
    }

    /** The same error as raw HTTP/1.1 bytes, for connections that never got an HTTP codec. */
    public static ByteBuf rawError(ByteBufAllocator alloc, HttpResponseStatus status, String error, String detail) {
        String body = new JsonObject().put("error", error).put("detail", detail).toString();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        ByteBuf buf = alloc.buffer(head.length() + bytes.length);
        buf.writeCharSequence(head, StandardCharsets.US_ASCII);
        buf.writeBytes(bytes);
        return buf;
    }

    private static FullHttpResponse json(
            ByteBufAllocator alloc, HttpResponseStatus status, String body, boolean keepAlive) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, alloc.buffer(bytes.length).writeBytes(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return response;
    }
}
