package dev.openshell.sandbox.proxy.transparent;

import dev.openshell.sandbox.linux.OriginalDestination;
import dev.openshell.sandbox.linux.SyscallException;
import dev.openshell.sandbox.proxy.admission.Bypass;
import dev.openshell.sandbox.proxy.admission.BypassReason;
import dev.openshell.sandbox.proxy.admission.CaptureAdmission;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first step of a captured connection: recovers where it was going, starts identifying the
 * caller at once (a rejected connection's finding should name the program), and holds the first
 * bytes until they name a destination: the SNI of a TLS ClientHello or the {@code Host} of an
 * HTTP request. Then it steps aside and hands the held bytes to {@link CapturedConnection}.
 * Connections that cannot be attributed (nothing sent within {@link #FIRST_BYTES_TIMEOUT}, another
 * protocol, no SNI) are rejected at once.
 */
final class CaptureHandler extends ChannelInboundHandlerAdapter {

    private static final Duration IDENTITY_RETRY = Duration.ofMillis(50);

    /**
     * How long a captured connection may stay silent. Clients that speak first (TLS, HTTP) send at
     * once; a server-speaks-first protocol (SSH banner wait, SMTP) never will, and must still fail
     * within the 3 seconds a bypass may take.
     */
    static final Duration FIRST_BYTES_TIMEOUT = Duration.ofSeconds(2);

    private final ProxyServices services;
    private final HttpHostHead httpHead;
    private final long start = System.nanoTime();
    private InetSocketAddress original;
    private CompletableFuture<CallerIdentity> identity;
    private ByteBuf held;
    private ScheduledFuture<?> deadline;
    private boolean decided;
    private Boolean tls;

    CaptureHandler(ProxyServices services) {
        this.services = services;
        this.httpHead = new HttpHostHead(
                services.limits().maxHeaderBytes(), services.limits().maxHeaders());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        super.channelActive(ctx);
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        try {
            original = OriginalDestination.of(ctx.channel());
        } catch (SyscallException e) {
            original = (InetSocketAddress) ctx.channel().localAddress();
            reject(
                    ctx,
                    BypassReason.NO_ORIGINAL_DESTINATION,
                    "cannot recover where this connection was going: " + e.getMessage());
            return;
        }
        CallerResolver resolver = services.callerResolver();
        InetSocketAddress destination = original;
        // The client's socket in the sandbox is connected to the original destination, not to us.
        // One more look after a short pause if the first fails: a redirected connection can be
        // accepted before the owner's socket table entry is visible to the lookup, and an
        // unattributed capture is denied (and logged without a program name).
        identity = CompletableFuture.supplyAsync(() -> resolver.resolve(client, destination), services.blocking())
                .exceptionallyCompose(first -> CompletableFuture.supplyAsync(
                        () -> resolver.resolve(client, destination),
                        CompletableFuture.delayedExecutor(
                                IDENTITY_RETRY.toMillis(), TimeUnit.MILLISECONDS, services.blocking())));
        // as on the explicit port: the resolver's guess for the caller's next socket stays current
        ctx.channel().closeFuture().addListener(f -> resolver.released(client));
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            if (!decided) {
                                timedOut(ctx);
                            }
                        },
                        FIRST_BYTES_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (decided || !(msg instanceof ByteBuf in)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        held = held == null ? in : ctx.alloc().compositeBuffer().addComponents(true, held, in);
        examine(ctx);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!decided) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!decided && original != null) {
            decided = true;
            cancelDeadline();
            CapturedConnection.reject(
                    services,
                    identity,
                    original,
                    Bypass.deny(
                            BypassReason.CLOSED_EARLY,
                            "the connection closed before its first bytes named a destination"),
                    start,
                    () -> {});
        }
        release();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void examine(ChannelHandlerContext ctx) {
        if (!held.isReadable()) {
            return;
        }
        if (tls == null) {
            byte first = held.getByte(held.readerIndex());
            if (first == ClientHelloSni.HANDSHAKE_RECORD) {
                tls = true;
            } else if (HttpHostHead.mayBeHttp(first)) {
                tls = false;
            } else {
                reject(
                        ctx,
                        BypassReason.UNKNOWN_PROTOCOL,
                        "the connection to " + authority()
                                + " speaks neither TLS nor HTTP/1.x, so its destination name is unknown");
                return;
            }
        }
        if (tls) {
            switch (ClientHelloSni.examine(held)) {
                case ClientHelloSni.Incomplete i -> {}
                case ClientHelloSni.Named n -> attributed(ctx, n.name(), CaptureAdmission.Source.SNI, null, null);
                case ClientHelloSni.Unnamed u ->
                    reject(
                            ctx,
                            BypassReason.NO_SNI,
                            "the TLS ClientHello to " + authority()
                                    + " names no server (no SNI), so the connection cannot be attributed");
                case ClientHelloSni.Malformed m ->
                    reject(
                            ctx,
                            BypassReason.BAD_CLIENT_HELLO,
                            "malformed TLS ClientHello to " + authority() + ": " + m.why());
            }
            return;
        }
        switch (httpHead.examine(held)) {
            case HttpHostHead.Incomplete i -> {}
            case HttpHostHead.Named n ->
                attributed(ctx, n.host(), CaptureAdmission.Source.HOST_HEADER, n.method(), n.target());
            case HttpHostHead.NotHttp x ->
                reject(
                        ctx,
                        BypassReason.UNKNOWN_PROTOCOL,
                        "the connection to " + authority()
                                + " speaks neither TLS nor HTTP/1.x, so its destination name is unknown");
            case HttpHostHead.Refused r -> {
                decide();
                CapturedConnection.refuseHttp(ctx.channel(), services, identity, original, r.why(), start);
            }
        }
    }

    private void attributed(
            ChannelHandlerContext ctx, String name, CaptureAdmission.Source source, String method, String target) {
        decide();
        ByteBuf first = held;
        held = null;
        ctx.pipeline().remove(this);
        new CapturedConnection(services, ctx.channel(), original, tls, method, target, first, start)
                .admit(identity, name, source);
    }

    private void reject(ChannelHandlerContext ctx, BypassReason reason, String detail) {
        decide();
        release();
        Channel channel = ctx.channel();
        // A TLS alert only answers a complete ClientHello; anything else is reset.
        boolean alert = reason == BypassReason.NO_SNI || reason == BypassReason.BAD_CLIENT_HELLO;
        CapturedConnection.reject(
                services,
                identity,
                original,
                Bypass.deny(reason, detail),
                start,
                () -> channel.eventLoop().execute(() -> CapturedConnection.reset(channel, alert)));
    }

    private void decide() {
        decided = true;
        cancelDeadline();
    }

    private void timedOut(ChannelHandlerContext ctx) {
        long wait = FIRST_BYTES_TIMEOUT.toSeconds();
        if (held == null || !held.isReadable()) {
            reject(
                    ctx,
                    BypassReason.SILENT,
                    "the connection to " + authority() + " sent nothing within " + wait
                            + " s (a protocol where the server speaks first?), so its destination name is unknown");
        } else {
            reject(
                    ctx,
                    BypassReason.INCOMPLETE,
                    "the connection to " + authority() + " sent " + held.readableBytes()
                            + " bytes within " + wait + " s but no complete "
                            + (tls ? "TLS ClientHello" : "HTTP request head") + ", so its destination name is unknown");
        }
    }

    private String authority() {
        return original.getAddress().getHostAddress() + ":" + original.getPort();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void release() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
