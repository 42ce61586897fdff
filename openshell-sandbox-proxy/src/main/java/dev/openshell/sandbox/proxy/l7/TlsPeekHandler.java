package dev.openshell.sandbox.proxy.l7;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Looks at the first byte a client sends into an inspected tunnel: a TLS handshake record
 * ({@code 0x16}) means the tunnel carries HTTPS and must be terminated with the host's leaf
 * certificate; anything else is treated as plaintext HTTP. Then it installs the right handlers
 * behind itself, steps aside, and passes the first bytes on.
 */
final class TlsPeekHandler extends ChannelInboundHandlerAdapter {

    private static final byte TLS_HANDSHAKE = 0x16;

    private final CompletableFuture<SslContext> serverContext;
    private final BiConsumer<ChannelHandlerContext, SslContext> install;
    private boolean decided;

    /**
     * @param serverContext the leaf context for the tunnel's host (minted off the event loop)
     * @param install adds the handlers after this one: with the context for TLS, with {@code null}
     *     for plaintext
     */
    TlsPeekHandler(CompletableFuture<SslContext> serverContext, BiConsumer<ChannelHandlerContext, SslContext> install) {
        this.serverContext = serverContext;
        this.install = install;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided || !(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!buf.isReadable()) {
            buf.release();
            ctx.read();
            return;
        }
        decided = true;
        if (buf.getByte(buf.readerIndex()) != TLS_HANDSHAKE) {
            proceed(ctx, null, buf);
            return;
        }
        serverContext.whenComplete((sslContext, error) -> ctx.executor().execute(() -> {
            if (error != null || !ctx.channel().isActive()) {
                ReferenceCountUtil.release(buf);
                ctx.close();
                return;
            }
            proceed(ctx, sslContext, buf);
        }));
    }

    private void proceed(ChannelHandlerContext ctx, SslContext sslContext, ByteBuf first) {
        install.accept(ctx, sslContext);
        ctx.fireChannelRead(first);
        ctx.fireChannelReadComplete();
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
