package dev.openshell.sandbox.proxy.deny;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.json.SandboxJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;

/** Builds the proxy's own responses: policy denials and protocol errors, always with a JSON body. */
public final class ProxyResponses {

    private ProxyResponses() {}

    /** {@code 403} with the denial body. */
    public static FullHttpResponse denied(ByteBufAllocator alloc, Denial denial, boolean keepAlive) {
        ByteBuf body = alloc.buffer(512);
        try {
            denial.writeJson(new ByteBufOutputStream(body));
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        return json(HttpResponseStatus.FORBIDDEN, body, keepAlive);
    }

    /**
     * A protocol or upstream error, e.g. {@code 400 bad_request}, {@code 431 headers_too_large},
     * {@code 502 upstream_unreachable}, with the code's HTTP status: the body is {@code {"error":
     * ..., "detail": ...}}.
     */
    public static FullHttpResponse error(ByteBufAllocator alloc, ErrorCode error, String detail, boolean keepAlive) {
        return json(status(error), errorBody(alloc, error, detail), keepAlive);
    }

    /** The same error as raw HTTP/1.1 bytes, for connections that never got an HTTP codec. */
    public static ByteBuf rawError(ByteBufAllocator alloc, ErrorCode error, String detail) {
        HttpResponseStatus status = status(error);
        ByteBuf body = errorBody(alloc, error, detail);
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.readableBytes() + "\r\nConnection: close\r\n\r\n";
        ByteBuf buf = alloc.buffer(head.length() + body.readableBytes());
        buf.writeCharSequence(head, StandardCharsets.US_ASCII);
        buf.writeBytes(body);
        body.release();
        return buf;
    }

    /** The status of an error answer is its code's: {@code bad_request} 400, {@code upstream_timeout} 504, ... */
    static HttpResponseStatus status(ErrorCode error) {
        return HttpResponseStatus.valueOf(error.httpStatus());
    }

    private static ByteBuf errorBody(ByteBufAllocator alloc, ErrorCode error, String detail) {
        return body(alloc, g -> {
            g.writeStringProperty("error", error.wire());
            if (detail == null) {
                g.writeNullProperty("detail");
            } else {
                g.writeStringProperty("detail", SandboxJson.wellFormed(detail));
            }
        });
    }

    private static ByteBuf body(ByteBufAllocator alloc, Consumer<JsonGenerator> fields) {
        ByteBuf body = alloc.buffer(256);
        try (JsonGenerator g = SandboxJson.generator(new ByteBufOutputStream(body))) {
            g.writeStartObject();
            fields.accept(g);
            g.writeEndObject();
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        return body;
    }

    private static FullHttpResponse json(HttpResponseStatus status, ByteBuf body, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return response;
    }
}
