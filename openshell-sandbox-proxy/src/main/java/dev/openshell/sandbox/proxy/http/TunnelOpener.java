package dev.openshell.sandbox.proxy.http;

import dev.openshell.sandbox.proxy.admission.Destination;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/** Turns a client connection that sent {@code CONNECT} into a tunnel (decided, then relayed or inspected). */
@FunctionalInterface
public interface TunnelOpener {

    /**
     * Takes over the connection of {@code ctx}, whose HTTP handlers it removes when the tunnel
     * starts.
     */
    void open(ChannelHandlerContext ctx, HttpRequest connect, Destination destination);
}
