package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One request/response exchange with an upstream server, on a new or a kept-alive connection
 * opened only to the route's checked addresses. Request parts written before the connection is up
 * are queued in order.
 */
final class UpstreamExchange {

    private static final int MAX_CHUNK = 64 * 1024;

    private final ProxyServices services;
    private final HttpExchangeHandler client;
    private final ChannelHandlerContext clientCtx;
    private final Route.Upstream route;
    private final boolean head;
    private final List<Object[]> queued = new ArrayList<>();
    private Channel channel;
    private boolean responseStarted;
    private boolean interim;
    private boolean upgrading;
    private boolean reusable = true;
    private boolean finished;
    private boolean attached;

    UpstreamExchange(
            ProxyServices services,
            HttpExchangeHandler client,
            ChannelHandlerContext clientCtx,
            Route.Upstream route,
            Channel reuse) {
        this.services = services;
        this.client = client;
        this.clientCtx = clientCtx;
        this.route = route;
        this.head = route.request().method().equals(HttpMethod.HEAD);
        this.channel = reuse != null && reuse.isActive() ? reuse : null;
    }

    String key() {
        return route.key();
    }

    Channel channel() {
        return channel;
    }

    /** Abandons the exchange (the client went away). */
    void close() {
        queued.forEach(q -> ReferenceCountUtil.release(q[0]));
        queued.clear();
        finished = true;
        if (channel != null) {
            channel.close();
        }
    }

    boolean reusable() {
        return reusable && channel != null && channel.isActive();
    }

    void start(HttpRequest request) {
        queued.add(new Object[] {request, null});
        if (route.connected() != null
                && !route.connected().equals(channel == null ? null : KeptUpstreams.peer(channel))) {
            // The guard took that address as checked because the request would go out on that very
            // connection; it is gone, and a new connection must never skip the guard: refuse.
            queued.forEach(q -> ReferenceCountUtil.release(q[0]));
            queued.clear();
            finished = true;
            client.upstreamFailed(
                    ErrorCode.UPSTREAM_FAILED,
                    "the kept-alive connection to " + route.key()
                            + " closed before the request went out; send it again",
                    false);
            return;
        }
        if (channel != null) {
            attach(channel);
            return;
        }
        UpstreamConnector.connect(
                        services,
                        clientCtx.channel().eventLoop(),
                        route.addresses(),
                        route.port(),
                        new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                if (route.tlsHost() != null) {
                                    ch.pipeline().addLast("tls", upstreamTls(ch));
                                }
                                ch.pipeline().addLast("codec", new HttpClientCodec(4096, 64 * 1024, MAX_CHUNK));
                                ch.pipeline().addLast("response", new UpstreamResponseHandler());
                            }
                        })
                .whenComplete((ch, error) -> {
                    if (error != null) {
                        queued.forEach(q -> ReferenceCountUtil.release(q[0]));
                        queued.clear();
                        if (finished) {
                            return; // abandoned meanwhile: the client was answered already
                        }
                        boolean timeout = error instanceof UpstreamConnector.ConnectFailure f && f.timedOut();
                        client.upstreamFailed(
                                timeout ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_UNREACHABLE,
                                "cannot connect to " + route.key() + ": " + error.getMessage(),
                                false);
                        return;
                    }
                    if (finished || !clientCtx.channel().isActive()) {
                        // abandoned while connecting (client gone, or its request refused)
                        ch.close();
                        return;
                    }
                    channel = ch;
                    attach(ch);
                });
    }

    /** Writes a request body part; {@code written} runs once it is on the wire (backpressure). */
    void writeBody(HttpContent content, Runnable written) {
        queued.add(new Object[] {content, written});
        if (attached) {
            flushQueued();
        }
    }

    private void attach(Channel ch) {
        attached = true;
        ch.pipeline().get(UpstreamResponseHandler.class).exchange = this;
        flushQueued();
        ch.read();
    }

    private void flushQueued() {
        for (Object[] q : queued) {
            Runnable after = (Runnable) q[1];
            channel.write(q[0]).addListener(f -> {
                if (!f.isSuccess()) {
                    channel.close();
                } else if (after != null) {
                    after.run();
                }
            });
        }
        queued.clear();
        channel.flush();
    }

    private SslHandler upstreamTls(Channel ch) {
        SslHandler handler = services.tls().upstream().newHandler(ch.alloc(), route.tlsHost(), route.port());
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        return handler;
    }

    private void onResponse(HttpObject msg) {
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            if (code == 101) {
                String problem = ProtocolSwitch.responseProblem(response, route.upgrade());
                if (problem != null) {
                    ReferenceCountUtil.release(msg);
                    refuseSwitch(problem);
                    return;
                }
                upgrading = true;
            } else if (code >= 100 && code < 200) {
                interim = true;
            } else {
                shapeFinalResponse(response);
            }
            responseStarted = true;
            if (!upgrading) {
                HopByHop.strip(response);
            }
            client.writeResponse(response, false);
            return;
        }
        if (msg instanceof LastHttpContent last) {
            if (upgrading) {
                last.release();
                channel.pipeline().get(UpstreamResponseHandler.class).exchange = null;
                client.switchToRelay(channel);
                return;
            }
            if (interim) {
                interim = false;
                last.release();
                channel.read();
                return;
            }
            finished = true;
            channel.pipeline().get(UpstreamResponseHandler.class).exchange = null;
            client.writeResponse(last, true);
            return;
        }
        client.writeResponse(msg, false);
    }

    /** A 101 that may not become a relay: this connection is dropped and the client told 502. */
    private void refuseSwitch(String problem) {
        finished = true;
        channel.pipeline().get(UpstreamResponseHandler.class).exchange = null;
        channel.close();
        client.switchRefused(problem);
    }

    private void shapeFinalResponse(HttpResponse response) {
        int code = response.status().code();
        boolean bodyless = head || code == 204 || code == 304;
        if (!bodyless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
            // Delimited by the server closing: the client can only see the end the same way.
            reusable = false;
            client.closeAfterResponse();
        }
        if (!HttpUtil.isKeepAlive(response)) {
            reusable = false;
        }
    }

    private void onClosed(Throwable cause) {
        if (finished) {
            return;
        }
        finished = true;
        String detail = "connection to " + route.key() + " closed" + (cause == null ? "" : ": " + cause.getMessage());
        client.upstreamFailed(ErrorCode.UPSTREAM_FAILED, detail, responseStarted);
    }

    /** Removes the HTTP handlers from an upstream channel that switches to raw bytes. */
    static void removeHttpHandlers(Channel ch) {
        ch.pipeline().remove(UpstreamResponseHandler.class);
        ch.pipeline().remove(HttpClientCodec.class);
    }

    /** Feeds upstream responses to the exchange currently using the connection. */
    private final class UpstreamResponseHandler extends io.netty.channel.ChannelInboundHandlerAdapter {
        UpstreamExchange exchange;
        Throwable cause;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (exchange == null || !(msg instanceof HttpObject h)) {
                // Data on an idle kept-alive connection: the server broke framing; drop the connection.
                ReferenceCountUtil.release(msg);
                ctx.close();
                return;
            }
            exchange.onResponse(h);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            client.flushResponse();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (exchange != null) {
                exchange.onClosed(cause);
            } else {
                client.idleUpstreamClosed(route.key(), ctx.channel());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
            cause = t;
            ctx.close();
        }
    }
}
