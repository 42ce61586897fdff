package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.proxy.shared.ProxyLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty's request decoder behind a strict gate: every head is checked by {@link RequestHeadScan}
 * before it is decoded, and must be complete within the header timeout (slowloris); every chunked
 * body is checked by a {@link ChunkedBodyScan} as it arrives, ahead of Netty, so Netty only ever
 * reads well-framed chunks. Refused input becomes one {@link RejectedRequest} (in the middle of a
 * body too) and everything after it is discarded. Request trailers are checked but not passed on.
 * After a {@code CONNECT} request the decoder stops, so that bytes for the tunnel stay buffered
 * until the tunnel's handlers take over.
 */
public final class GuardedRequestDecoder extends HttpRequestDecoder {

    /** Tunnel bytes held while a CONNECT is decided (a TLS ClientHello is a few KiB). */
    static final int MAX_EARLY_TUNNEL_BYTES = 64 * 1024;

    private final RequestHeadScan scan;
    private final ProxyLimits limits;
    private final long headerTimeoutNanos;
    /** The check of the chunked body being read, or null. */
    private ChunkedBodyScan body;
    /** Bytes from the reader index on that {@link #body} has already passed. */
    private int checkedAhead;

    private boolean atHead = true;
    private boolean stopped;
    private boolean rejected;
    private ScheduledFuture<?> deadline;

    public GuardedRequestDecoder(ProxyLimits limits) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxHeaderBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true));
        this.scan = new RequestHeadScan(limits.maxHeaderBytes(), limits.maxHeaders());
        this.limits = limits;
        this.headerTimeoutNanos = limits.headerTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        if (ctx.channel().isActive()) {
            armDeadline(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        armDeadline(ctx);
        super.channelActive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (stopped) {
            // bytes sent right behind a CONNECT wait here for the tunnel; past this much, stop reading
            if (in.readableBytes() > MAX_EARLY_TUNNEL_BYTES) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        if (atHead) {
            RequestHeadScan.Verdict verdict = scan.scan(in);
            if (verdict instanceof RequestHeadScan.Incomplete) {
                if (in.isReadable()) {
                    armDeadline(ctx);
                }
                return;
            }
            if (verdict instanceof RejectedRequest refused) {
                reject(in, out, refused);
                return;
            }
            atHead = false;
            cancelDeadline();
        }
        if (body != null && !body.done() && in.readerIndex() + checkedAhead < in.writerIndex()) {
            checkedAhead += body.scan(in, in.readerIndex() + checkedAhead, in.writerIndex());
            if (body.failure() != null) {
                reject(in, out, body.failure());
                return;
            }
        }
        int before = out.size();
        int readerBefore = in.readerIndex();
        super.decode(ctx, in, out);
        if (body != null) {
            checkedAhead -= in.readerIndex() - readerBefore;
            if (checkedAhead < 0) {
                // Netty read bytes the scan has not passed: never forward what was not checked.
                out.subList(before, out.size()).forEach(io.netty.util.ReferenceCountUtil::release);
                out.subList(before, out.size()).clear();
                reject(
                        in,
                        out,
                        new RejectedRequest(
                                ErrorCode.BAD_CHUNKED_BODY, "chunked body framing could not be read unambiguously"));
                return;
            }
        }
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpObject h && h.decoderResult().isFailure()) {
                out.subList(i, out.size()).forEach(io.netty.util.ReferenceCountUtil::release);
                out.subList(i, out.size()).clear();
                reject(
                        in,
                        out,
                        new RejectedRequest(
                                ErrorCode.BAD_REQUEST,
                                "malformed request: "
                                        + h.decoderResult().cause().getMessage()));
                return;
            }
            if (o instanceof HttpRequest r) {
                if (r.method().equals(HttpMethod.CONNECT)) {
                    stopped = true;
                } else if (HttpUtil.isTransferEncodingChunked(r)) {
                    body = new ChunkedBodyScan(limits.maxHeaderBytes(), limits.maxHeaders());
                    checkedAhead = 0;
                }
            }
            if (o instanceof LastHttpContent last) {
                atHead = true;
                body = null;
                scan.reset();
                if (!last.trailingHeaders().isEmpty()) {
                    last.trailingHeaders().clear();
                }
            }
        }
    }

    /**
     * Behind a {@code CONNECT} whose reading was turned off, nobody reads: the base class would ask
     * for another read whenever a read produced no message (with auto-read off it assumes a frame
     * is incomplete), which here would buffer whatever the client sends while the destination is
     * decided, without bound.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (stopped && !ctx.channel().config().isAutoRead()) {
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    /**
     * Lets the channel read ahead while a {@code CONNECT} is decided, unless the bytes already held
     * behind it reached the bound (then reading stays off until the tunnel takes over).
     */
    public void readAheadWhileDeciding(ChannelHandlerContext ctx) {
        if (internalBuffer().readableBytes() <= MAX_EARLY_TUNNEL_BYTES) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void reject(ByteBuf in, List<Object> out, RejectedRequest why) {
        rejected = true;
        body = null;
        cancelDeadline();
        in.skipBytes(in.readableBytes());
        out.add(why);
    }

    private void armDeadline(ChannelHandlerContext ctx) {
        if (deadline != null || rejected || stopped) {
            return;
        }
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            deadline = null;
                            if (atHead && !rejected && !stopped && ctx.channel().isActive()) {
                                rejected = true;
                                ctx.fireChannelRead(new RejectedRequest(
                                        ErrorCode.HEADER_TIMEOUT,
                                        "request head not received within the header timeout"));
                            }
                        },
                        headerTimeoutNanos,
                        TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
