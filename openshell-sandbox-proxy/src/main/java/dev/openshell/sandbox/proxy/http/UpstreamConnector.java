package dev.openshell.sandbox.proxy.http;

import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
     * Connects to {@code port} on the first reachable address. The channel has auto-read off
     * (TCP_NODELAY is the transport's default); {@code initializer} (may be null) is added to its
     * pipeline before it connects.
     */
    public static CompletableFuture<Channel> connect(
            ProxyServices services, EventLoop loop, List<InetAddress> addresses, int port, ChannelHandler initializer) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        attempt(services, loop, initializer, addresses, 0, port, result, null);
        return result;
    }

    /** One address after the other; a channel is made per attempt, in the address's family. */
    private static void attempt(
            ProxyServices services,
            EventLoop loop,
            ChannelHandler initializer,
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
        InetAddress address = addresses.get(index);
        Channel ch = services.transport().newSocketChannel(address);
        ch.config().setAutoRead(false);
        ch.config().setConnectTimeoutMillis((int)
                services.limits().connectTimeout().toMillis());
        if (initializer != null) {
            ch.pipeline().addLast(initializer);
        }
        // registering from the loop itself completes at once; connect then runs inline too
        loop.register(ch).addListener(registered -> {
            if (!registered.isSuccess()) {
                ch.unsafe().closeForcibly();
                attempt(services, loop, initializer, addresses, index + 1, port, result, registered.cause());
                return;
            }
            ch.connect(new InetSocketAddress(address, port)).addListener(done -> {
                if (done.isSuccess()) {
                    result.complete(ch);
                } else {
                    ch.close();
                    attempt(services, loop, initializer, addresses, index + 1, port, result, done.cause());
                }
            });
        });
    }
}
