package dev.openshell.sandbox.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP(S) server for tests: answers every request with {@code METHOD URI body=N} (and a
 * WebSocket echo on {@code /ws}), and records what it received.
 *
 * <p>It is also a server that agrees to switch protocols too readily, for the tests that check the
 * proxy never relays an upgrade it did not validate: {@code /upgrade...} with any {@code Upgrade}
 * header gets {@code 101} with that token, {@code /unsolicited101} gets {@code 101} whatever was
 * asked, and a WebSocket handshake to {@code /ws-badaccept} gets {@code 101} with a wrong {@code
 * Sec-WebSocket-Accept}. After such a {@code 101} the connection echoes raw bytes ({@code raw:...})
 * and records each read in {@link #requests} as {@code RAW text}.
 */
public final class TestUpstream implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    public final AtomicInteger connections = new AtomicInteger();
    /** Connections open right now. */
    public final AtomicInteger open = new AtomicInteger();

    public final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    /** Request bodies as received (ISO-8859-1), by URI. */
    public final java.util.Map<String, String> bodies = new java.util.concurrent.ConcurrentHashMap<>();
    /** {@code METHOD URI} plus the {@code Host} and {@code Upgrade} headers as received, per request. */
    public final ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();

    public TestUpstream(String ip, SslContext tls) {
        this(ip, 0, tls);
    }

    /** A server on {@code ip:port} ({@code port} 0: any free one). */
    public TestUpstream(String ip, int port, SslContext tls) {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        open.incrementAndGet();
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("codec", new HttpServerCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(1 << 20));
                        ch.pipeline().addLast(new WebSocketServerProtocolHandler("/ws"));
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                ctx.writeAndFlush(new TextWebSocketFrame("echo:" + f.text()));
                            }
                        });
                        ch.pipeline().addLast(new Echo());
                    }
                })
                .bind(new InetSocketAddress(ip, port))
                .syncUninterruptibly()
                .channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Echo extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String line =
                    req.method() + " " + req.uri() + " body=" + req.content().readableBytes();
            requests.add(line);
            bodies.put(req.uri(), req.content().toString(StandardCharsets.ISO_8859_1));
            String upgrade = req.headers().get(HttpHeaderNames.UPGRADE);
            heads.add(req.method() + " " + req.uri() + " host=" + req.headers().get(HttpHeaderNames.HOST) + " upgrade="
                    + upgrade);
            if (switchesProtocols(ctx, req, upgrade)) {
                return;
            }
            byte[] body;
            if (req.uri().startsWith("/bulk")) {
                body = new byte[Integer.parseInt(req.uri().substring(req.uri().indexOf('=') + 1))];
                java.util.Arrays.fill(body, (byte) 'x');
            } else {
                body = (line + "\n").getBytes(StandardCharsets.UTF_8);
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            var f = ctx.writeAndFlush(resp);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** Answers 101 where this server is too willing to, then echoes raw bytes. */
        private boolean switchesProtocols(ChannelHandlerContext ctx, FullHttpRequest req, String upgrade) {
            String uri = req.uri();
            String token;
            String accept = null;
            if (uri.startsWith("/unsolicited101")) {
                token = "h2c";
            } else if (uri.startsWith("/upgrade") && upgrade != null) {
                token = upgrade;
            } else if (uri.startsWith("/ws-badaccept") && "websocket".equalsIgnoreCase(upgrade)) {
                token = "websocket";
                accept = "d3JvbmcgYWNjZXB0IHZhbHVlIQ==";
            } else {
                return false;
            }
            FullHttpResponse resp = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
            resp.headers().set(HttpHeaderNames.UPGRADE, token).set(HttpHeaderNames.CONNECTION, "Upgrade");
            if (accept != null) {
                resp.headers().set(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT, accept);
            }
            ctx.writeAndFlush(resp);
            ctx.pipeline().addAfter("codec", "raw", new RawEcho());
            ctx.pipeline().remove("codec");
            return true;
        }
    }

    /** After a 101: records and echoes whatever arrives, as raw bytes. */
    private final class RawEcho extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.buffer.ByteBuf in = (io.netty.buffer.ByteBuf) msg;
            String text = in.toString(StandardCharsets.ISO_8859_1);
            in.release();
            requests.add("RAW " + text);
            ctx.writeAndFlush(Unpooled.copiedBuffer("raw:" + text, StandardCharsets.ISO_8859_1));
        }
    }
}
