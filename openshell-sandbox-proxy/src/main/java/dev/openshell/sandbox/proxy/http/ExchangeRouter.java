package dev.openshell.sandbox.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Decides each request of an {@link HttpExchangeHandler}: the forward proxy decides by the
 * absolute URL, an inspected tunnel by its fixed destination. Implementations log the decision.
 */
public interface ExchangeRouter {

    /**
     * Routes one request. The future must complete on the channel's event loop.
     *
     * @param upstreams the connection's idle kept-alive upstream connections: a request that will
     *     go out on one of them needs no new destination-guard lookup of its address
     * @param startNanos when the request head arrived, for the decision latency
     */
    CompletableFuture<Route> route(
            ChannelHandlerContext ctx, HttpRequest request, KeptUpstreams upstreams, long startNanos);

    /**
     * Logs input the proxy refuses before any route: a malformed or oversized head, a malformed
     * body, a switch of protocols it will not relay. The line names the caller and the destination
     * as far as this router knows them. The answer is sent once the future completes (on any
     * thread), so that the caller is still there to be identified.
     *
     * @param inFlight the request whose body or response was refused, or {@code null} for a head
     */
    CompletableFuture<Void> refused(
            ChannelHandlerContext ctx, RejectedRequest why, HttpRequest inFlight, long startNanos);

    /** Called once when the client connection closes. */
    default void closed() {}
}
