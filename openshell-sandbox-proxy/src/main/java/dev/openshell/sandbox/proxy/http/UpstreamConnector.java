package dev.openshell.sandbox.proxy.http;

import dev.openshell.sandbox.proxy.ProxyServices;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Opens upstream connections on the client's own event loop (no cross-thread hand-off), to the
 * addresses the destination guard checked and nothing else, trying them in order.
 */
public final class UpstreamConnector {

    /** Why no connection could be made; {@link #timedOut} maps to 504, the rest to 502. */
    public static final class ConnectFailure extends RuntimeException {
        private final boolean timedOut;

        ConnectFailure(String message, boolean timedOut) {
            super(message, null, false, false);
            this.timedOut = timedOut;
        }

        public boolean timedOut() {
            return timedOut;
        }
    }

    private UpstreamConnector() {}

    /**
     * Stands in where a bootstrap needs a handler and the caller has none; it removes itself when
     * the channel registers, so relayed bytes do not pass through it.
     */
    @ChannelHandler.Sharable
    private static final class NoHandler extends ChannelInitializer<Channel> {
        static final NoHandler INSTANCE = new NoHandler();

        @Override
        protected void initChannel(Channel ch) {
            // nothing to add: the caller installs its handlers once connected
        }
    }

    /**
     * Connects to {@code port} on the first reachable address. The channel has auto-read off and
     * TCP_NODELAY on; {@code initializer} (may be null) is added to its pipeline.
     */
    public static CompletableFuture<Channel> connect(
            ProxyServices services, EventLoop loop, List<InetAddress> addresses, int port, ChannelHandler initializer) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        Bootstrap b = services.upstreamBootstrap(loop).handler(initializer == null ? NoHandler.INSTANCE : initializer);
        attempt(b, addresses, 0, port, result, null);
        return result;
    }

    private static void attempt(
            Bootstrap b,
            List<InetAddress> addresses,
            int index,
            int port,
            CompletableFuture<Channel> result,
            Throwable last) {
        if (index >= addresses.size()) {
            boolean timedOut = last instanceof ConnectTimeoutException;
            String why = last == null ? "no address to connect to" : last.getMessage();
            result.completeExceptionally(new ConnectFailure(why, timedOut));
            return;
        }
        InetSocketAddress target = new InetSocketAddress(addresses.get(index), port);
        ChannelFuture f = b.connect(target);
        f.addListener(done -> {
            if (done.isSuccess()) {
                result.complete(f.channel());
            } else {
                attempt(b, addresses, index + 1, port, result, done.cause());
            }
        });
    }
}
