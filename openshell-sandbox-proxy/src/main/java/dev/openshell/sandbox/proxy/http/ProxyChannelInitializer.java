package dev.openshell.sandbox.proxy.http;

import dev.openshell.sandbox.proxy.admission.ClientSession;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;

/** Assembles the pipeline of an accepted client connection; nothing else. */
public final class ProxyChannelInitializer extends ChannelInitializer<Channel> {

    private final ProxyServices services;
    private final ConnectionLimitHandler limit;
    private final ConnectTunnel tunnels;

    public ProxyChannelInitializer(ProxyServices services, ConnectionLimitHandler limit, ConnectTunnel tunnels) {
        this.services = services;
        this.limit = limit;
        this.tunnels = tunnels;
    }

    @Override
    protected void initChannel(Channel ch) {
        ClientSession.start(ch, services);
        ChannelPipeline p = ch.pipeline();
        p.addLast("limit", limit);
        p.addLast("idle", new IdleTimeout(services.limits().idleTimeout()));
        p.addLast("decoder", new GuardedRequestDecoder(services.limits()));
        p.addLast("encoder", new HttpResponseEncoder());
        p.addLast("exchange", new HttpExchangeHandler(services, new ForwardRouter(services), tunnels));
    }
}
