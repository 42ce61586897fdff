package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.shared.InferenceHandler;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Collects one request for {@code inference.local} (bounded) and hands it to the {@link InferenceHandler}. */
final class InferenceCall {

    private final ProxyServices services;
    private final Consumer<HttpResponse> answer;
    private final ChannelHandlerContext ctx;
    private final HttpRequest request;
    private final CallerIdentity caller;
    private final CompositeByteBuf body;
    private boolean tooLarge;

    InferenceCall(
            ProxyServices services,
            Consumer<HttpResponse> answer,
            ChannelHandlerContext ctx,
            HttpRequest request,
            CallerIdentity caller) {
        this.services = services;
        this.answer = answer;
        this.ctx = ctx;
        this.request = request;
        this.caller = caller;
        this.body = ctx.alloc().compositeBuffer(1024);
    }

    /** Adds a body part; returns true when it was the last one (the call has then been made). */
    boolean add(HttpContent content) {
        if (!tooLarge) {
            if (body.readableBytes() + content.content().readableBytes()
                    > services.limits().maxInferenceBody()) {
                tooLarge = true;
                body.release();
            } else {
                body.addComponent(true, content.content().retain());
            }
        }
        content.release();
        if (!(content instanceof LastHttpContent)) {
            return false;
        }
        if (tooLarge) {
            answer.accept(ProxyResponses.error(
                    ctx.alloc(),
                    ErrorCode.BODY_TOO_LARGE,
                    "inference request body larger than " + services.limits().maxInferenceBody() + " bytes",
                    false));
            return true;
        }
        byte[] bytes = ByteBufUtil.getBytes(body);
        body.release();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        request.headers().forEach(headers::add);
        InferenceHandler.Request call =
                new InferenceHandler.Request(request.method().name(), request.uri(), headers, bytes, caller);
        services.inference()
                .handle(call)
                .whenComplete((response, error) -> ctx.executor().execute(() -> {
                    if (error != null || response == null) {
                        answer.accept(ProxyResponses.error(
                                ctx.alloc(),
                                ErrorCode.INFERENCE_FAILED,
                                error == null ? "no response" : String.valueOf(error.getMessage()),
                                true));
                    } else {
                        answer.accept(toHttp(response));
                    }
                }));
        return true;
    }

    void release() {
        if (!tooLarge && body.refCnt() > 0) {
            body.release();
        }
    }

    private FullHttpResponse toHttp(InferenceHandler.Response r) {
        FullHttpResponse out = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()),
                ctx.alloc().buffer(r.body().length).writeBytes(r.body()));
        r.headers().forEach((k, v) -> out.headers().set(k, v));
        out.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        return out;
    }
}
