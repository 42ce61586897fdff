package dev.openshell.sandbox.proxy.l7;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.sandbox.proxy.admission.Admission;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.http.CanonicalTarget;
import dev.openshell.sandbox.proxy.http.ExchangeRouter;
import dev.openshell.sandbox.proxy.http.HopByHop;
import dev.openshell.sandbox.proxy.http.HostHeader;
import dev.openshell.sandbox.proxy.http.KeptUpstreams;
import dev.openshell.sandbox.proxy.http.L7Requests;
import dev.openshell.sandbox.proxy.http.ProtocolSwitch;
import dev.openshell.sandbox.proxy.http.Refusals;
import dev.openshell.sandbox.proxy.http.RejectedRequest;
import dev.openshell.sandbox.proxy.http.RequestOverrides;
import dev.openshell.sandbox.proxy.http.Route;
import dev.openshell.sandbox.proxy.shared.ActivePolicy;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Decides each request inside an inspected tunnel under the policy generation active when the
 * request arrives (so a reload applies to the next request on a kept-alive connection), and
 * routes allowed ones to the tunnel's pinned destination. Before the policy, the request must be
 * for the tunnel's host ({@link HostHeader}) in origin form, may only switch protocols by a valid
 * WebSocket handshake ({@link ProtocolSwitch}), and is put on its canonical target ({@link
 * CanonicalTarget}): that is what is decided, logged and forwarded.
 */
final class TunnelRouter implements ExchangeRouter {

    private static final RejectedRequest NOT_ORIGIN_FORM = new RejectedRequest(
            ErrorCode.BAD_REQUEST, "inside a tunnel, send origin-form requests (GET /path) for the tunnel's host");

    private final ProxyServices services;
    private final Admission.Result admitted;
    private final boolean tls;
    private final Runnable onClose;

    TunnelRouter(ProxyServices services, Admission.Result admitted, boolean tls, Runnable onClose) {
        this.services = services;
        this.admitted = admitted;
        this.tls = tls;
        this.onClose = onClose;
    }

    @Override
    public CompletableFuture<Route> route(
            ChannelHandlerContext ctx, HttpRequest request, KeptUpstreams upstreams, long startNanos) {
        String host = admitted.request().host();
        int port = admitted.request().port();
        String target = request.uri();
        if (request.method().equals(HttpMethod.CONNECT) || !target.startsWith("/")) {
            return refuse(ctx, request, NOT_ORIGIN_FORM, startNanos);
        }
        RejectedRequest wrongHost = HostHeader.check(request, host, port);
        if (wrongHost != null) {
            return refuse(ctx, request, wrongHost, startNanos);
        }
        L7Requests.Measured measured = L7Requests.measure(request);
        ProtocolSwitch.Decision upgrade = ProtocolSwitch.inspect(request);
        if (upgrade instanceof ProtocolSwitch.Refused refused) {
            return refuse(ctx, request, refused.why(), startNanos);
        }
        Route.Respond ambiguous = CanonicalTarget.apply(ctx, services, request, admitted, startNanos);
        if (ambiguous != null) {
            return CompletableFuture.completedFuture(ambiguous);
        }
        target = request.uri();
        ActivePolicy active = services.policy();
        String key = host + ":" + port;
        InetAddress connected = upstreams.connectedAddress(key);
        Decision decision =
                RequestOverrides.evaluate(active.policy(), admitted.request(), request, measured, connected);
        services.logger()
                .log(DecisionEntry.request(
                        admitted.caller(),
                        host,
                        port,
                        request.method().name(),
                        target,
                        decision,
                        active.generation(),
                        startNanos));
        if (!decision.permits()) {
            return CompletableFuture.completedFuture(new Route.Respond(
                    services.denied(
                            ctx.alloc(),
                            decision,
                            host,
                            port,
                            admitted.binary(),
                            request.method().name(),
                            target,
                            true),
                    false));
        }
        HopByHop.strip(request);
        return CompletableFuture.completedFuture(new Route.Upstream(
                key, admitted.request().addresses(), port, tls ? host : null, request, upgrade, connected));
    }

    @Override
    public CompletableFuture<Void> refused(
            ChannelHandlerContext ctx, RejectedRequest why, HttpRequest inFlight, long startNanos) {
        Refusals.log(
                services,
                admitted.caller(),
                admitted.request().host(),
                admitted.request().port(),
                inFlight,
                why,
                Layer.L7,
                startNanos);
        return CompletableFuture.completedFuture(null);
    }

    /** Logs and answers a request refused before the policy; the connection closes after the answer. */
    private CompletableFuture<Route> refuse(
            ChannelHandlerContext ctx, HttpRequest request, RejectedRequest why, long startNanos) {
        refused(ctx, why, request, startNanos);
        return CompletableFuture.completedFuture(
                new Route.Respond(ProxyResponses.error(ctx.alloc(), why.error(), why.detail(), false), true));
    }

    @Override
    public void closed() {
        onClose.run();
    }
}
