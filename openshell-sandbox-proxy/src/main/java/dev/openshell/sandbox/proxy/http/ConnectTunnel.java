package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.sandbox.proxy.admission.Admission;
import dev.openshell.sandbox.proxy.admission.ClientSession;
import dev.openshell.sandbox.proxy.admission.Destination;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.relay.RelayHandler;
import dev.openshell.sandbox.proxy.shared.ConnectionRegistry;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import dev.openshell.sandbox.proxy.shared.RelayedTunnel;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code CONNECT} request, step by step: admit the destination (identity, DNS, guard, L4); on
 * denial answer 403 and close; for a plain L4 endpoint connect upstream first, then answer 200 and
 * relay bytes both ways; for a {@code protocol: rest} endpoint (or {@code inference.local}) answer
 * 200 and hand the connection to the L7 {@link TunnelInspector}.
 */
public final class ConnectTunnel implements TunnelOpener {

    /** Installs L7 inspection on a tunnel once the client has been told 200. */
    public interface TunnelInspector {
        /** Inspects every request on the tunnel; returns the tunnel for the registry. */
        ConnectionRegistry.Tunnel inspect(Channel client, Admission.Result admitted);

        /** Serves the tunnel from the inference handler ({@code CONNECT inference.local:443}). */
        void inference(Channel client, Destination destination);
    }

    private static final byte[] ESTABLISHED =
            "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ProxyServices services;
    private final TunnelInspector inspector;

    public ConnectTunnel(ProxyServices services, TunnelInspector inspector) {
        this.services = services;
        this.inspector = inspector;
    }

    @Override
    public void open(ChannelHandlerContext ctx, HttpRequest connect, Destination destination) {
        long start = System.nanoTime();
        Channel client = ctx.channel();
        if (destination.isInference()) {
            established(client).addListener(f -> {
                if (f.isSuccess()) {
                    inspector.inference(client, destination);
                }
            });
            return;
        }
        // Keep reading while the tunnel is set up: an L4 tunnel ends up reading freely anyway, and
        // not pausing spares two epoll_ctl calls per tunnel. Bytes sent early wait in the stopped
        // decoder (bounded there); paths that need reads pulled turn auto-read off again.
        ChannelHandlerContext decoder = client.pipeline().context(GuardedRequestDecoder.class);
        if (decoder != null) {
            ((GuardedRequestDecoder) decoder.handler()).readAheadWhileDeciding(decoder);
        }
        Admission.admit(ClientSession.of(client), destination, services, client.eventLoop())
                .thenAccept(admitted -> decided(client, destination, admitted, start));
    }

    private void decided(Channel client, Destination destination, Admission.Result admitted, long start) {
        Decision decision = admitted.decision();
        long generation = admitted.policy().generation();
        services.logger()
                .log(DecisionEntry.tunnel(
                        admitted.caller(), destination.host(), destination.port(), decision, generation, start));
        if (!client.isActive()) {
            return;
        }
        if (!decision.permits()) {
            client.writeAndFlush(services.denied(
                            client.alloc(),
                            decision,
                            destination.host(),
                            destination.port(),
                            admitted.binary(),
                            "CONNECT",
                            null,
                            false))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (admitted.resolveError().isPresent()) {
            fail(
                    client,
                    ErrorCode.UPSTREAM_UNRESOLVABLE,
                    admitted.resolveError().get());
            return;
        }
        if (decision.inspect()) {
            client.config().setAutoRead(false);
            established(client).addListener(f -> {
                if (f.isSuccess()) {
                    services.registry().register(inspector.inspect(client, admitted), generation);
                }
            });
            return;
        }
        L4Request request = admitted.request();
        UpstreamConnector.connect(services, client.eventLoop(), request.addresses(), request.port(), null)
                .whenComplete((upstream, error) -> {
                    if (error != null) {
                        boolean timeout = error instanceof UpstreamConnector.ConnectFailure cf && cf.timedOut();
                        fail(
                                client,
                                timeout ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_UNREACHABLE,
                                "cannot connect to " + destination.authority() + ": " + error.getMessage());
                        return;
                    }
                    if (!client.isActive()) {
                        upstream.close();
                        return;
                    }
                    // Register before the 200 goes out: once the client has seen it, a reload
                    // must find (and, if no longer admitted, close) this tunnel.
                    RelayedTunnel tunnel = new RelayedTunnel(client, upstream, request);
                    upstream.closeFuture().addListener(c -> services.registry().unregister(tunnel));
                    client.closeFuture().addListener(c -> services.registry().unregister(tunnel));
                    if (!services.registry().register(tunnel, generation)) {
                        return;
                    }
                    if (!upstream.isActive()) {
                        client.close();
                        return;
                    }
                    // The relay goes in right behind the 200: whatever either side sends next is
                    // queued after it, and a failed write closes both through the relay.
                    established(client);
                    RelayHandler.join(client, upstream);
                    removeDecoder(client.pipeline());
                });
    }

    /**
     * Ends the HTTP part of the connection (the stopped decoder stays until the next protocol's
     * handlers are in) and answers 200, pre-encoded.
     */
    private static ChannelFuture established(Channel client) {
        stripHttp(client.pipeline());
        return client.writeAndFlush(Unpooled.wrappedBuffer(ESTABLISHED));
    }

    private static void fail(Channel client, ErrorCode error, String detail) {
        client.writeAndFlush(ProxyResponses.error(client.alloc(), error, detail, false))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Removes the HTTP handlers; bytes the decoder held back flow on to whatever comes next. */
    private static void stripHttp(ChannelPipeline p) {
        if (p.get(HttpResponseEncoder.class) != null) {
            p.remove(HttpResponseEncoder.class);
        }
        if (p.get(HttpExchangeHandler.class) != null) {
            p.remove(HttpExchangeHandler.class);
        }
    }

    /**
     * Removes the request decoder last, once the next protocol's handlers are in place, so that
     * bytes it buffered after the CONNECT reach them.
     */
    public static void removeDecoder(ChannelPipeline p) {
        if (p.get(GuardedRequestDecoder.class) != null) {
            p.remove(GuardedRequestDecoder.class);
        }
    }
}
