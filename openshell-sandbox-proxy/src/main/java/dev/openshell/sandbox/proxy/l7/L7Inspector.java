package dev.openshell.sandbox.proxy.l7;

import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.sandbox.proxy.admission.Admission;
import dev.openshell.sandbox.proxy.admission.ClientSession;
import dev.openshell.sandbox.proxy.admission.Destination;
import dev.openshell.sandbox.proxy.http.ConnectTunnel;
import dev.openshell.sandbox.proxy.http.ExchangeRouter;
import dev.openshell.sandbox.proxy.http.GuardedRequestDecoder;
import dev.openshell.sandbox.proxy.http.HttpExchangeHandler;
import dev.openshell.sandbox.proxy.http.InferenceRoutes;
import dev.openshell.sandbox.proxy.http.KeptUpstreams;
import dev.openshell.sandbox.proxy.http.Refusals;
import dev.openshell.sandbox.proxy.http.RejectedRequest;
import dev.openshell.sandbox.proxy.http.Route;
import dev.openshell.sandbox.proxy.shared.ConnectionRegistry;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.CompletableFuture;

/**
 * Turns an admitted tunnel into an inspected one: TLS (if the client speaks it) is terminated
 * with a leaf certificate for the tunnel's host, and every request on it goes through an
 * {@link HttpExchangeHandler} with a {@link TunnelRouter} (or straight to the inference handler
 * for {@code inference.local}).
 */
public final class L7Inspector implements ConnectTunnel.TunnelInspector {

    private final ProxyServices services;

    public L7Inspector(ProxyServices services) {
        this.services = services;
    }

    @Override
    public ConnectionRegistry.Tunnel inspect(Channel client, Admission.Result admitted) {
        String host = admitted.request().host();
        InspectedTunnel tunnel = new InspectedTunnel(client, admitted.request());
        install(client, host, (ctx, tls) -> {
            if (tls) {
                ctx.pipeline().addAfter("tls", "sni", new SniCheck(services, admitted));
            }
            TunnelRouter router = new TunnelRouter(
                    services, admitted, tls, () -> services.registry().unregister(tunnel));
            HttpExchangeHandler exchange = httpHandlers(ctx.pipeline(), tls, router);
            tunnel.exchange = exchange;
        });
        client.closeFuture().addListener(f -> services.registry().unregister(tunnel));
        return tunnel;
    }

    @Override
    public void inference(Channel client, Destination destination) {
        install(
                client,
                destination.host(),
                (ctx, tls) -> httpHandlers(ctx.pipeline(), tls, new InferenceRouter(destination)));
    }

    private void install(
            Channel client, String host, java.util.function.BiConsumer<ChannelHandlerContext, Boolean> then) {
        CompletableFuture<SslContext> leaf =
                CompletableFuture.supplyAsync(() -> services.tls().serverFor(host), services.blocking());
        ChannelPipeline p = client.pipeline();
        p.addLast("peek", new TlsPeekHandler(leaf, (ctx, sslContext) -> {
            if (sslContext != null) {
                ctx.pipeline().addAfter(ctx.name(), "tls", sslContext.newHandler(ctx.alloc()));
            }
            then.accept(ctx, sslContext != null);
        }));
        ConnectTunnel.removeDecoder(p);
        client.read();
    }

    private HttpExchangeHandler httpHandlers(ChannelPipeline p, boolean tls, ExchangeRouter router) {
        HttpExchangeHandler exchange =
                new HttpExchangeHandler(services, router, (ctx, request, destination) -> ctx.close());
        p.addLast("decoder", new GuardedRequestDecoder(services.limits()));
        p.addLast("encoder", new HttpResponseEncoder());
        p.addLast("exchange", exchange);
        return exchange;
    }

    /** Routes every request of an {@code inference.local} tunnel to the inference handler. */
    private final class InferenceRouter implements ExchangeRouter {
        private final Destination destination;

        InferenceRouter(Destination destination) {
            this.destination = destination;
        }

        @Override
        public CompletableFuture<Void> refused(
                ChannelHandlerContext ctx,
                RejectedRequest why,
                io.netty.handler.codec.http.HttpRequest inFlight,
                long startNanos) {
            return Refusals.logOnceIdentified(
                    services, ctx.channel(), destination.host(), destination.port(), inFlight, why, startNanos);
        }

        @Override
        public CompletableFuture<Route> route(
                ChannelHandlerContext ctx,
                io.netty.handler.codec.http.HttpRequest request,
                KeptUpstreams upstreams,
                long startNanos) {
            return ClientSession.of(ctx.channel())
                    .identity()
                    .handle((caller, error) -> caller)
                    .thenApplyAsync(
                            caller -> InferenceRoutes.route(services, ctx, request, caller, startNanos),
                            ctx.executor());
        }
    }

    /** An inspected tunnel: revoking lets the request in flight finish, then closes. */
    private static final class InspectedTunnel implements ConnectionRegistry.Tunnel {
        private final Channel client;
        private final L4Request request;
        volatile HttpExchangeHandler exchange;

        InspectedTunnel(Channel client, L4Request request) {
            this.client = client;
            this.request = request;
        }

        @Override
        public L4Request request() {
            return request;
        }

        @Override
        public boolean inspected() {
            return true;
        }

        @Override
        public CompletableFuture<Void> revoke(Decision decision, long generation) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            client.eventLoop().execute(() -> {
                HttpExchangeHandler handler = exchange;
                if (handler != null && client.pipeline().get(HttpExchangeHandler.class) == handler) {
                    handler.closeWhenIdle();
                } else {
                    client.close();
                }
                done.complete(null);
            });
            return done;
        }
    }
}
