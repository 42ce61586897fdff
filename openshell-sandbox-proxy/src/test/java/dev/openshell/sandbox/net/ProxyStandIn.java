package dev.openshell.sandbox.net;

import dev.openshell.sandbox.linux.OriginalDestination;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the proxy on a sandbox network's host side: a plain {@link ServerSocket} on the
 * explicit port and a Netty epoll server on the transparent port that records each accepted
 * connection's {@link OriginalDestination}. Both answer with a tiny HTTP response so curl succeeds.
 */
final class ProxyStandIn implements AutoCloseable {

    private final ServerSocket explicit;
    private final Channel transparent;
    private final BlockingQueue<Object> originalDestinations = new LinkedBlockingQueue<>();

    ProxyStandIn(SandboxNetwork network, EventLoopGroup group) throws IOException, InterruptedException {
        explicit = new ServerSocket();
        explicit.bind(network.explicitProxyAddress());
        Thread.ofVirtual().start(this::serveExplicit);
        transparent = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new Recorder());
                    }
                })
                .bind(network.transparentProxyAddress())
                .sync()
                .channel();
    }

    /** The next redirected connection's original destination (or the exception reading it). */
    InetSocketAddress nextOriginalDestination() throws InterruptedException {
        Object next = originalDestinations.poll(10, TimeUnit.SECONDS);
        if (next instanceof RuntimeException e) {
            throw new AssertionError("reading the original destination failed", e);
        }
        if (next == null) {
            throw new AssertionError("no redirected connection arrived within 10 s");
        }
        return (InetSocketAddress) next;
    }

    boolean sawNoRedirect() {
        return originalDestinations.isEmpty();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        explicit.close();
        transparent.close().sync();
    }

    private void serveExplicit() {
        while (!explicit.isClosed()) {
            try (Socket socket = explicit.accept();
                    OutputStream out = socket.getOutputStream()) {
                out.write(response("explicit"));
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    private static byte[] response(String body) {
        return ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            try {
                originalDestinations.add(OriginalDestination.of(ctx.channel()));
            } catch (RuntimeException e) {
                originalDestinations.add(e);
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(response("transparent"))).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
