package dev.openshell.sandbox.proxy.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Copies everything read on one channel to its peer. Reads are pulled one at a time: the next
 * read is requested only after the previous chunk was written to the peer, so a slow side slows
 * the fast side down instead of filling memory. Install one on each side with {@link #join}.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final Channel peer;

    public RelayHandler(Channel peer) {
        this.peer = peer;
    }

    /**
     * Relays between two channels on the same event loop (both with auto-read off), and starts
     * reading on both.
     */
    public static void join(Channel a, Channel b) {
        a.pipeline().addLast("relay", new RelayHandler(b));
        b.pipeline().addLast("relay", new RelayHandler(a));
        a.read();
        b.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!peer.isActive()) {
            io.netty.util.ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        peer.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ctx.channel().read();
            } else {
                f.channel().close();
                ctx.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeOnFlush(ctx.channel());
    }

    /** Closes a channel after everything queued on it has been written. */
    public static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
