package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.DecisionLogger;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** Caps concurrent client connections: the one over the limit gets {@code 503} and is closed. */
@ChannelHandler.Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final DecisionLogger logger;
    private final LongSupplier generation;

    public ConnectionLimitHandler(int max, DecisionLogger logger, LongSupplier generation) {
        this.max = max;
        this.logger = logger;
        this.generation = generation;
    }

    /** Connections open right now. */
    public int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > max) {
            String detail = "the sandbox has " + max + " connections open through the proxy already";
            logger.log(DecisionEntry.unnamed(
                    Optional.empty(),
                    LimitDecisions.of(ErrorCode.TOO_MANY_CONNECTIONS, detail),
                    generation.getAsLong(),
                    System.nanoTime()));
            ctx.writeAndFlush(ProxyResponses.rawError(ctx.alloc(), ErrorCode.TOO_MANY_CONNECTIONS, detail))
                    .addListener(ChannelFutureListener.CLOSE);
            // Nothing after this handler may see the connection.
            ctx.pipeline().remove(this);
            while (ctx.pipeline().last() != null) {
                ctx.pipeline().removeLast();
            }
            open.decrementAndGet();
            return;
        }
        ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
        super.channelActive(ctx);
    }
}
