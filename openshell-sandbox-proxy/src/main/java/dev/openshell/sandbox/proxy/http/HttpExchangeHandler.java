package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.relay.RelayHandler;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Carries HTTP requests of one client connection, one at a time: each request is routed (a
 * policy decision), then answered directly, sent to the inference handler, or forwarded to a
 * kept-alive upstream connection whose response is relayed back. Reads are pulled only when the
 * previous chunk has been written on, so request and response bodies stream with backpressure.
 * Pipelined requests wait in order. A {@code 101} that accepts the request's validated WebSocket
 * handshake turns the connection into a byte relay. Input refused in the middle of a body (broken
 * chunked framing) aborts the upstream request and answers 400 if nothing was answered yet; either
 * way both connections close at once.
 */
public final class HttpExchangeHandler extends ChannelInboundHandlerAdapter {

    private enum Phase {
        IDLE,
        ROUTING,
        BODY_UPSTREAM,
        BODY_DISCARD,
        BODY_INFERENCE,
        AWAIT_RESPONSE,
        HANDED_OVER
    }

    private static final long MAX_DISCARD = 1 << 20;

    private final ProxyServices services;
    private final ExchangeRouter router;
    private final TunnelOpener tunnels;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private final KeptUpstreams idleUpstreams = new KeptUpstreams();
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.IDLE;
    private boolean responseDone;
    /** Whether a response head went to the client for the request in flight. */
    private boolean responseStarted;
    /** The request in flight, for logs. */
    private HttpRequest current;

    private boolean clientKeepAlive;
    private boolean closeAfterResponse;
    private boolean closeWhenIdle;
    private long discarded;
    private UpstreamExchange upstream;
    private InferenceCall inference;

    public HttpExchangeHandler(ProxyServices services, ExchangeRouter router, TunnelOpener tunnels) {
        this.services = services;
        this.router = router;
        this.tunnels = tunnels;
    }

    /** Closes the connection once the request in flight (if any) has been answered. */
    public void closeWhenIdle() {
        closeWhenIdle = true;
        if (phase == Phase.IDLE && ctx != null) {
            ctx.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.read();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        pending.add(msg);
        drain();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        if (inference != null) {
            inference.release();
        }
        if (upstream != null) {
            upstream.close();
        }
        idleUpstreams.closeAll();
        router.closed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RelayHandler.closeOnFlush(ctx.channel());
    }

    private void drain() {
        while (!pending.isEmpty()) {
            if (readingBody() && pending.peek() instanceof RejectedRequest r) {
                pending.poll();
                bodyRefused(r);
                return;
            }
            switch (phase) {
                case IDLE -> startExchange(pending.poll());
                case BODY_UPSTREAM -> {
                    Object msg = pending.poll();
                    if (msg instanceof HttpContent content) {
                        boolean last = content instanceof LastHttpContent;
                        upstream.writeBody(content, last ? null : this::readMore);
                        if (last) {
                            requestFinished();
                        }
                    } else {
                        ReferenceCountUtil.release(msg);
                    }
                }
                case BODY_DISCARD -> {
                    Object msg = pending.poll();
                    if (msg instanceof HttpContent content) {
                        discarded += content.content().readableBytes();
                    }
                    boolean last = msg instanceof LastHttpContent;
                    ReferenceCountUtil.release(msg);
                    if (last) {
                        requestFinished();
                    } else if (discarded > MAX_DISCARD) {
                        ctx.close();
                        return;
                    }
                }
                case BODY_INFERENCE -> {
                    Object msg = pending.poll();
                    if (msg instanceof HttpContent content && inference.add(content)) {
                        requestFinished();
                    }
                }
                case ROUTING, AWAIT_RESPONSE, HANDED_OVER -> {
                    return;
                }
            }
        }
        readMore();
    }

    private boolean readingBody() {
        return phase == Phase.BODY_UPSTREAM || phase == Phase.BODY_DISCARD || phase == Phase.BODY_INFERENCE;
    }

    /** Asks for more input when the current phase can take it. */
    private void readMore() {
        if (pending.isEmpty()
                && (phase == Phase.IDLE
                        || phase == Phase.BODY_UPSTREAM
                        || phase == Phase.BODY_DISCARD
                        || phase == Phase.BODY_INFERENCE)) {
            ctx.read();
        }
    }

    private void startExchange(Object msg) {
        if (msg instanceof RejectedRequest r) {
            refuseAndClose(r, null);
            return;
        }
        if (!(msg instanceof HttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        long start = System.nanoTime();
        phase = Phase.ROUTING;
        current = request;
        responseDone = false;
        responseStarted = false;
        discarded = 0;
        clientKeepAlive = HttpUtil.isKeepAlive(request);
        closeAfterResponse = false;
        router.route(ctx, request, idleUpstreams, start).whenComplete((route, error) -> {
            if (!ctx.channel().isActive()) {
                if (route instanceof Route.Respond r) {
                    r.response().release();
                }
                return;
            }
            if (error != null) {
                route = new Route.Respond(
                        ProxyResponses.error(
                                ctx.alloc(), ErrorCode.PROXY_ERROR, String.valueOf(error.getMessage()), false),
                        true);
            }
            dispatch(request, route);
        });
    }

    private void dispatch(HttpRequest request, Route route) {
        switch (route) {
            case Route.Respond r -> {
                // A body that has not fully arrived yet would have to be read before the next request.
                boolean bodyPending = hasBody(request) && pending.stream().noneMatch(o -> o instanceof LastHttpContent);
                if (r.close() || bodyPending) {
                    closeAfterResponse = true;
                    r.response().headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                }
                phase = Phase.BODY_DISCARD;
                writeResponse(r.response(), true);
                if (closeAfterResponse) {
                    return;
                }
            }
            case Route.Inference i -> {
                inference = new InferenceCall(services, this::inferenceAnswered, ctx, request, i.caller());
                phase = Phase.BODY_INFERENCE;
            }
            case Route.Tunnel t -> {
                phase = Phase.HANDED_OVER;
                pending.forEach(ReferenceCountUtil::release);
                pending.clear();
                idleUpstreams.closeAll();
                tunnels.open(ctx, request, t.destination());
                return;
            }
            case Route.Upstream u -> {
                Channel reuse = idleUpstreams.take(u.key());
                upstream = new UpstreamExchange(services, this, ctx, u, reuse);
                phase = Phase.BODY_UPSTREAM;
                upstream.start(u.request());
            }
        }
        drain();
    }

    private void inferenceAnswered(HttpResponse response) {
        inference = null;
        writeResponse(response, true);
    }

    /** Relays one response object from the upstream; called by {@link UpstreamExchange}. */
    void writeResponse(HttpObject msg, boolean finalPart) {
        if (msg instanceof HttpResponse response) {
            // an interim 1xx (100 Continue) leaves room for a final answer, a 101 does not
            responseStarted |=
                    response.status().code() >= 200 || response.status().code() == 101;
            if (!clientKeepAlive || closeAfterResponse || closeWhenIdle) {
                closeAfterResponse = true;
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        if (finalPart) {
            ctx.writeAndFlush(msg).addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                    return;
                }
                responseDone = true;
                finishIfDone();
            });
        } else {
            // Flushed when the upstream read that produced it ends (flushResponse): a small
            // response's head and body leave in one write, which the client reads at once.
            ctx.write(msg).addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                } else if (upstream != null && upstream.channel() != null) {
                    upstream.channel().read();
                }
            });
        }
    }

    /** Sends what {@link #writeResponse} wrote of a response so far; called when an upstream read ends. */
    void flushResponse() {
        ctx.flush();
    }

    /** The response must be delimited by closing the client connection (no length, not chunked). */
    void closeAfterResponse() {
        closeAfterResponse = true;
    }

    /** The upstream failed before or during the response. */
    void upstreamFailed(ErrorCode error, String detail, boolean responseStarted) {
        upstream = null;
        if (responseStarted || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        closeAfterResponse = true;
        phase = Phase.BODY_DISCARD;
        writeResponse(ProxyResponses.error(ctx.alloc(), error, detail, false), true);
    }

    /**
     * The upstream answered 101 to a request that did not validly ask for it (or without accepting
     * its WebSocket key): the connection is not relayed; 502, and both sides close.
     */
    void switchRefused(String problem) {
        upstream = null;
        refuseAndClose(new RejectedRequest(ErrorCode.BAD_UPGRADE_RESPONSE, problem), current);
    }

    /**
     * The body of the request in flight was refused (broken framing): the upstream never sees its
     * end, and both connections close, after a 400 when no response has started.
     */
    private void bodyRefused(RejectedRequest r) {
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        if (inference != null) {
            inference.release();
            inference = null;
        }
        refuseAndClose(r, current);
    }

    /** Logs the refusal (naming caller and destination when known), answers it unless too late, closes. */
    private void refuseAndClose(RejectedRequest r, HttpRequest inFlight) {
        phase = Phase.HANDED_OVER;
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        boolean answer = !responseStarted || inFlight == null;
        router.refused(ctx, r, inFlight, System.nanoTime())
                .whenComplete((logged, error) -> ctx.executor().execute(() -> {
                    if (!answer || !ctx.channel().isActive()) {
                        // after whatever answer is already on its way out
                        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                        return;
                    }
                    ctx.writeAndFlush(ProxyResponses.error(ctx.alloc(), r.error(), r.detail(), false))
                            .addListener(ChannelFutureListener.CLOSE);
                }));
    }

    /** A 101 response was relayed: from now on both connections carry raw bytes. */
    void switchToRelay(Channel upstreamChannel) {
        phase = Phase.HANDED_OVER;
        upstream = null;
        ctx.flush(); // the 101
        Channel client = ctx.channel();
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
        // relays first: bytes the HTTP handlers buffered after the 101 flow on to them when removed
        RelayHandler.join(client, upstreamChannel);
        UpstreamExchange.removeHttpHandlers(upstreamChannel);
        client.pipeline().remove(this);
        client.pipeline().remove(GuardedRequestDecoder.class);
        client.pipeline().remove(io.netty.handler.codec.http.HttpResponseEncoder.class);
    }

    private void requestFinished() {
        if (phase == Phase.BODY_UPSTREAM || phase == Phase.BODY_DISCARD || phase == Phase.BODY_INFERENCE) {
            phase = Phase.AWAIT_RESPONSE;
        }
        finishIfDone();
    }

    private void finishIfDone() {
        if (phase != Phase.AWAIT_RESPONSE || !responseDone) {
            if (responseDone && closeAfterResponse && phase != Phase.HANDED_OVER) {
                // Answered early (denied, or upstream failed) and the rest of the body is not wanted.
                ctx.close();
            }
            return;
        }
        if (upstream != null) {
            UpstreamExchange done = upstream;
            upstream = null;
            if (done.reusable() && !closeAfterResponse) {
                idleUpstreams.keep(done.key(), done.channel());
            } else {
                done.channel().close();
            }
        }
        if (closeAfterResponse || closeWhenIdle) {
            ctx.close();
            return;
        }
        phase = Phase.IDLE;
        drain();
    }

    /** An idle pooled upstream connection closed; forget it. */
    void idleUpstreamClosed(String key, Channel channel) {
        idleUpstreams.forget(key, channel);
    }

    private static boolean hasBody(HttpRequest request) {
        return L7Requests.hasBody(request);
    }
}
