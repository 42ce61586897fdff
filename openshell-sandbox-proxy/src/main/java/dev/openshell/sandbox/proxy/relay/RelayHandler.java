package dev.openshell.sandbox.proxy.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Copies everything read on one channel to its peer. Both sides read freely (auto-read) and writes
 * are flushed once per read burst; when the peer's outbound buffer passes its high-water mark this
 * side stops reading until the peer has drained below the low-water mark, so a slow side slows the
 * fast side down instead of filling memory. Reading is not re-armed per chunk, which keeps the
 * common short tunnel free of per-read {@code epoll_ctl} calls. Install with {@link #join}.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final Channel peer;
    private boolean unflushed;

    private RelayHandler(Channel peer) {
        this.peer = peer;
    }

    /**
     * Relays between two connected channels on the same event loop and starts reading on both.
     * Bytes a handler earlier in {@code a}'s pipeline still holds (e.g. a decoder being removed) may
     * be fired afterwards: they are relayed like any other read.
     */
    public static void join(Channel a, Channel b) {
        a.pipeline().addLast("relay", new RelayHandler(b));
        b.pipeline().addLast("relay", new RelayHandler(a));
        a.config().setAutoRead(true);
        b.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        // a failed write surfaces as exceptionCaught on the peer, whose relay closes both sides
        peer.write(msg, peer.voidPromise());
        unflushed = true;
        if (!peer.isWritable()) {
            // stop reading before flushing: a flush that drains the peer at once fires its
            // writability change right here, and that must find reading off to turn it back on
            ctx.channel().config().setAutoRead(false);
            flushPeer();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushPeer();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // this side drained: let the peer read again
        if (ctx.channel().isWritable() && peer.isActive()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flushPeer();
        closeOnFlush(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
        closeOnFlush(peer);
    }

    private void flushPeer() {
        if (unflushed) {
            unflushed = false;
            peer.flush();
        }
    }

    /** Closes a channel after everything queued on it has been written. */
    public static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
