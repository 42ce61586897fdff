package dev.openshell.sandbox.proxy.transparent;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.sandbox.proxy.admission.Admission;
import dev.openshell.sandbox.proxy.admission.Bypass;
import dev.openshell.sandbox.proxy.admission.CaptureAdmission;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.http.RejectedRequest;
import dev.openshell.sandbox.proxy.http.UpstreamConnector;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.l7.L7Inspector;
import dev.openshell.sandbox.proxy.relay.RelayHandler;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import dev.openshell.sandbox.proxy.shared.RelayedTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A captured connection whose first bytes named its destination: decided by {@link
 * CaptureAdmission}, logged, then refused (a TLS {@code access_denied} alert, or the 403 JSON for
 * plaintext HTTP), relayed to the original destination, or handed to the same L7 inspection a
 * {@code CONNECT} tunnel gets. The held first bytes go to whichever comes next.
 */
final class CapturedConnection {

    /** A fatal TLS alert, {@code access_denied} (49), in a TLS 1.2 record: readable before any handshake. */
    private static final byte[] ACCESS_DENIED_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x31};

    /** How long a rejection waits for the caller's identity, so that the finding can name it. */
    static final Duration IDENTITY_WAIT = Duration.ofSeconds(1);

    private final ProxyServices services;
    private final Channel client;
    private final InetSocketAddress original;
    private final boolean tls;
    private final String method;
    private final String target;
    private final long start;
    private ByteBuf first;

    /**
     * @param method the first request's method for plaintext HTTP, null for TLS
     * @param target the first request's target for plaintext HTTP, null for TLS
     */
    CapturedConnection(
            ProxyServices services,
            Channel client,
            InetSocketAddress original,
            boolean tls,
            String method,
            String target,
            ByteBuf first,
            long start) {
        this.services = services;
        this.client = client;
        this.original = original;
        this.tls = tls;
        this.method = method;
        this.target = target;
        this.first = first;
        this.start = start;
    }

    /** Decides on {@code name} and acts on the decision. Call on the channel's event loop. */
    void admit(CompletableFuture<CallerIdentity> identity, String name, CaptureAdmission.Source source) {
        CaptureAdmission.admit(identity, name, source, original, services, client.eventLoop())
                .whenComplete((outcome, error) -> client.eventLoop().execute(() -> {
                    if (error != null) {
                        release();
                        client.close();
                        return;
                    }
                    decided(outcome);
                }));
    }

    private void decided(CaptureAdmission.Outcome outcome) {
        String host = outcome.host();
        services.logger()
                .log(new DecisionEntry(
                        outcome.caller(),
                        Optional.of(host),
                        original.getPort(),
                        Optional.ofNullable(method),
                        Optional.ofNullable(target),
                        Bypass.logged(outcome.decision()),
                        outcome.generation(),
                        start));
        if (!client.isActive()) {
            release();
            return;
        }
        if (outcome.admitted().isEmpty()) {
            refuse(outcome, host);
        } else if (outcome.decision().inspect()) {
            inspect(outcome.admitted().get());
        } else {
            relay(outcome.admitted().get());
        }
    }

    private void refuse(CaptureAdmission.Outcome outcome, String host) {
        release();
        if (tls) {
            reset(client, true);
            return;
        }
        client.pipeline().addLast("encoder", new HttpResponseEncoder());
        client.writeAndFlush(services.denied(
                        client.alloc(),
                        outcome.decision(),
                        host,
                        original.getPort(),
                        outcome.binary(),
                        method,
                        target,
                        false))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** TLS or HTTP terminated here with the request-level policy, exactly as in a CONNECT tunnel. */
    private void inspect(Admission.Result admitted) {
        var tunnel = new L7Inspector(services).inspect(client, admitted);
        if (services.registry().register(tunnel, admitted.policy().generation())) {
            handOverFirstBytes();
        } else {
            release();
        }
    }

    private void relay(Admission.Result admitted) {
        L4Request request = admitted.request();
        UpstreamConnector.connect(services, client.eventLoop(), request.addresses(), request.port(), null)
                .whenComplete((upstream, error) -> {
                    if (error != null) {
                        release();
                        if (tls) {
                            reset(client, false);
                        } else {
                            boolean timeout = error instanceof UpstreamConnector.ConnectFailure cf && cf.timedOut();
                            client.writeAndFlush(ProxyResponses.rawError(
                                            client.alloc(),
                                            timeout ? ErrorCode.UPSTREAM_TIMEOUT : ErrorCode.UPSTREAM_UNREACHABLE,
                                            "cannot connect to " + request.host() + ":" + request.port() + ": "
                                                    + error.getMessage()))
                                    .addListener(ChannelFutureListener.CLOSE);
                        }
                        return;
                    }
                    if (!client.isActive()) {
                        release();
                        upstream.close();
                        return;
                    }
                    RelayedTunnel tunnel = new RelayedTunnel(client, upstream, request);
                    client.closeFuture().addListener(f -> services.registry().unregister(tunnel));
                    upstream.closeFuture().addListener(f -> services.registry().unregister(tunnel));
                    if (!services.registry().register(tunnel, admitted.policy().generation())) {
                        release();
                        return;
                    }
                    RelayHandler.join(client, upstream);
                    handOverFirstBytes();
                });
    }

    /** Sends the held bytes through the pipeline as if just read; the next handler takes it from there. */
    private void handOverFirstBytes() {
        ByteBuf bytes = first;
        first = null;
        client.pipeline().fireChannelRead(bytes);
        client.pipeline().fireChannelReadComplete();
    }

    private void release() {
        if (first != null) {
            first.release();
            first = null;
        }
    }

    /** Answers an HTTP head the strict scan refused (as the explicit proxy would) and logs the finding. */
    static void refuseHttp(
            Channel client,
            ProxyServices services,
            CompletableFuture<CallerIdentity> identity,
            InetSocketAddress original,
            RejectedRequest why,
            long start) {
        reject(
                services,
                identity,
                original,
                Bypass.headRefused(why.error(), why.detail()),
                start,
                () -> client.eventLoop()
                        .execute(() -> client.writeAndFlush(
                                        ProxyResponses.rawError(client.alloc(), why.error(), why.detail()))
                                .addListener(ChannelFutureListener.CLOSE)));
    }

    /**
     * Rejects a connection that never got a name and logs the finding. The connection is ended
     * only once its caller is known (at most {@link #IDENTITY_WAIT} later): a client that sees the
     * reset exits at once, and its socket with it, which would leave the finding without a name.
     *
     * @param decision the {@code bypass:} denial to log
     * @param end ends the connection, on its event loop; the host in the log is the original destination
     */
    static void reject(
            ProxyServices services,
            CompletableFuture<CallerIdentity> identity,
            InetSocketAddress original,
            Decision decision,
            long start,
            Runnable end) {
        CompletableFuture<CallerIdentity> caller = identity == null
                ? CompletableFuture.completedFuture(null)
                : identity.exceptionally(e -> null)
                        .completeOnTimeout(null, IDENTITY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        long generation = services.policy().generation();
        caller.thenAccept(c -> {
            end.run();
            services.logger()
                    .log(DecisionEntry.connection(
                            Optional.ofNullable(c),
                            original.getAddress().getHostAddress(),
                            original.getPort(),
                            decision,
                            generation,
                            start));
        });
    }

    /**
     * Ends a connection that will not be served: after a ClientHello with a TLS {@code access_denied}
     * alert (the client reports "access denied" instead of a bare reset), otherwise with a TCP reset.
     * Call on the channel's event loop.
     */
    static void reset(Channel client, boolean alert) {
        if (!client.isActive()) {
            return;
        }
        if (alert) {
            client.writeAndFlush(Unpooled.wrappedBuffer(ACCESS_DENIED_ALERT)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client.config().setOption(ChannelOption.SO_LINGER, 0);
        client.close();
    }
}
