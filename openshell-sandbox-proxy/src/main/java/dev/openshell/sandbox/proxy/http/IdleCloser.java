package dev.openshell.sandbox.proxy.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

/** Closes a connection when {@link io.netty.handler.timeout.IdleStateHandler} reports it idle. */
@ChannelHandler.Sharable
public final class IdleCloser extends ChannelInboundHandlerAdapter {

    public static final IdleCloser INSTANCE = new IdleCloser();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }
}
