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
     * @param startNanos when the request head arrived, for the decision latency
     */
    CompletableFuture<Route> route(ChannelHandlerContext ctx, HttpRequest request, long startNanos);

    /** Called once when the client connection closes. */
    default void closed() {}
}
