package dev.openshell.sandbox.proxy.shared;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.function.Function;

/**
 * The socket transport: native epoll when the platform has it, NIO otherwise. Upstream sockets are
 * made by calling the channel's constructor directly (no reflection per connection), in the
 * destination's own address family (an IPv4 socket for an IPv4 address: no dual-stack set-up).
 */
public record Transport(
        String name,
        IoHandlerFactory ioHandlerFactory,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends Channel> socketChannel,
        Function<SocketProtocolFamily, Channel> socketChannels) {

    /** Epoll when {@link Epoll#isAvailable()}, else NIO. */
    public static Transport detect() {
        if (Epoll.isAvailable()) {
            return new Transport(
                    "epoll",
                    EpollIoHandler.newFactory(),
                    EpollServerSocketChannel.class,
                    EpollSocketChannel.class,
                    EpollSocketChannel::new);
        }
        return new Transport(
                "nio",
                NioIoHandler.newFactory(),
                NioServerSocketChannel.class,
                NioSocketChannel.class,
                family -> new NioSocketChannel(SelectorProvider.provider(), family));
    }

    /** An unregistered client socket channel for connecting to {@code target}. */
    public Channel newSocketChannel(InetAddress target) {
        return socketChannels.apply(
                target instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6);
    }

    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }
}
