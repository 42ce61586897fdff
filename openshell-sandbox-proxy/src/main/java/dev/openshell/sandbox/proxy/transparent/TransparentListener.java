package dev.openshell.sandbox.proxy.transparent;

import dev.openshell.sandbox.proxy.http.ConnectionLimitHandler;
import dev.openshell.sandbox.proxy.http.IdleTimeout;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.net.InetSocketAddress;

/**
 * The proxy's second listener, for connections the sandbox firewall redirected because they
 * ignored the proxy settings. Each is attributed to a destination name (TLS SNI or the HTTP
 * {@code Host}, checked against the address actually connected to), decided by the same policy
 * as a {@code CONNECT}, and relayed or inspected; what cannot be attributed is rejected at once.
 * Every decision is logged with mode {@code transparent}; rejections carry rule {@code
 * bypass:<reason>} and are the sandbox's bypass findings.
 */
public final class TransparentListener {

    /** The {@code mode} of every decision record written for a captured connection. */
    public static final String MODE = "transparent";

    private TransparentListener() {}

    /**
     * Binds the listener on {@code group}, which must be an epoll group: the original destination
     * is read with {@code SO_ORIGINAL_DST} on the accepted socket's descriptor.
     *
     * @param services the proxy's services; decisions are logged through a copy marked transparent
     * @param limit the proxy's connection limit, shared with the explicit listener
     * @throws IllegalStateException when the proxy does not run on the epoll transport
     */
    public static Channel bind(
            EventLoopGroup group, ProxyServices services, ConnectionLimitHandler limit, InetSocketAddress address)
            throws InterruptedException {
        if (!services.transport().name().equals("epoll")) {
            throw new IllegalStateException("the transparent listener needs Netty's native epoll transport"
                    + " (SO_ORIGINAL_DST on the accepted socket), but the proxy runs on "
                    + services.transport().name() + ": " + Epoll.unavailabilityCause());
        }
        ProxyServices captured = services.withMode(MODE);
        return new ServerBootstrap()
                .group(group)
                .channel(services.transport().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast("limit", limit)
                                .addLast(
                                        "idle",
                                        new IdleTimeout(captured.limits().idleTimeout()))
                                .addLast("capture", new CaptureHandler(captured));
                    }
                })
                .bind(address)
                .sync()
                .channel();
    }
}
