package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Decision;
import dev.openshell.sandbox.proxy.admission.Admission;
import dev.openshell.sandbox.proxy.admission.ClientSession;
import dev.openshell.sandbox.proxy.admission.Destination;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Routes requests sent to the proxy itself: {@code CONNECT host:port} becomes a tunnel, an
 * absolute-form {@code http://} request is admitted (identity, DNS, destination guard, L4 policy;
 * L7 as well when the endpoint is {@code protocol: rest}, on the request's canonical target) and
 * forwarded, anything else is refused with a clear 4xx.
 */
public final class ForwardRouter implements ExchangeRouter {

    private final ProxyServices services;
    /** The destination of the request being routed or forwarded, for refusal logs. */
    private Destination current;

    public ForwardRouter(ProxyServices services) {
        this.services = services;
    }

    @Override
    public CompletableFuture<Route> route(
            ChannelHandlerContext ctx, HttpRequest request, KeptUpstreams upstreams, long startNanos) {
        String uri = request.uri();
        if (request.method().equals(HttpMethod.CONNECT)) {
            try {
                return CompletableFuture.completedFuture(new Route.Tunnel(Destination.parseAuthority(uri, -1)));
            } catch (IllegalArgumentException e) {
                return refuse(
                        ctx, ErrorCode.BAD_REQUEST, "CONNECT needs host:port (" + e.getMessage() + ")", startNanos);
            }
        }
        String lower = uri.length() >= 8 ? uri.substring(0, 8).toLowerCase(Locale.ROOT) : uri;
        if (lower.startsWith("https://")) {
            return refuse(
                    ctx,
                    ErrorCode.USE_CONNECT,
                    "https:// URLs are not forwarded in absolute form; send CONNECT host:443 and speak TLS inside"
                            + " the tunnel (HTTPS_PROXY=http://<this proxy>)",
                    startNanos);
        }
        if (!lower.startsWith("http://")) {
            return refuse(
                    ctx,
                    ErrorCode.BAD_REQUEST,
                    "this is an egress proxy: send an absolute-form http:// request or CONNECT host:port",
                    startNanos);
        }
        int pathStart = indexOfAny(uri, 7);
        String origin = pathStart < 0 ? "/" : uri.substring(pathStart);
        if (origin.startsWith("?")) {
            origin = "/" + origin;
        }
        int fragment = origin.indexOf('#');
        if (fragment >= 0) {
            origin = origin.substring(0, fragment);
        }
        Destination destination;
        try {
            destination = Destination.parseAuthority(uri.substring(7, pathStart < 0 ? uri.length() : pathStart), 80);
        } catch (IllegalArgumentException e) {
            return refuse(ctx, ErrorCode.BAD_REQUEST, "invalid URL: " + e.getMessage(), startNanos);
        }
        current = destination;
        request.setUri(origin);
        L7Requests.Measured measured = L7Requests.measure(request);
        ProtocolSwitch.Decision upgrade = ProtocolSwitch.inspect(request);
        if (upgrade instanceof ProtocolSwitch.Refused refused) {
            return refuse(ctx, request, refused.why(), startNanos);
        }
        request.headers()
                .set(
                        HttpHeaderNames.HOST,
                        destination.port() == 80
                                ? destination
                                        .authority()
                                        .substring(0, destination.authority().lastIndexOf(':'))
                                : destination.authority());
        HopByHop.strip(request);
        ClientSession session = ClientSession.of(ctx.channel());
        if (destination.isInference()) {
            return session.identity()
                    .handle((caller, error) -> caller)
                    .thenApplyAsync(
                            caller -> InferenceRoutes.route(services, ctx, request, caller, startNanos),
                            ctx.executor());
        }
        String target = origin;
        InetAddress connected = upstreams.connectedAddress(destination.authority());
        return Admission.admit(session, destination, services, ctx.channel().eventLoop(), connected)
                .thenApply(admitted ->
                        decide(ctx, request, target, measured, upgrade, destination, admitted, connected, startNanos));
    }

    private Route decide(
            ChannelHandlerContext ctx,
            HttpRequest request,
            String target,
            L7Requests.Measured measured,
            ProtocolSwitch.Decision upgrade,
            Destination destination,
            Admission.Result admitted,
            InetAddress connected,
            long startNanos) {
        Decision decision = admitted.decision();
        if (decision.permits() && decision.inspect()) {
            Route.Respond ambiguous = CanonicalTarget.apply(ctx, services, request, admitted, startNanos);
            if (ambiguous != null) {
                return ambiguous;
            }
            target = request.uri();
            decision = RequestOverrides.evaluate(
                    admitted.policy().policy(), admitted.request(), request, measured, connected);
        }
        String method = request.method().name();
        services.logger()
                .log(DecisionEntry.request(
                        admitted.caller(),
                        destination.host(),
                        destination.port(),
                        method,
                        target,
                        decision,
                        admitted.policy().generation(),
                        startNanos));
        if (!decision.permits()) {
            return new Route.Respond(
                    services.denied(
                            ctx.alloc(),
                            decision,
                            destination.host(),
                            destination.port(),
                            admitted.binary(),
                            method,
                            target,
                            true),
                    false);
        }
        if (admitted.resolveError().isPresent()) {
            return new Route.Respond(
                    ProxyResponses.error(
                            ctx.alloc(),
                            ErrorCode.UPSTREAM_UNRESOLVABLE,
                            admitted.resolveError().get(),
                            true),
                    false);
        }
        String key = destination.authority();
        return new Route.Upstream(
                key, admitted.request().addresses(), destination.port(), null, request, upgrade, connected);
    }

    @Override
    public CompletableFuture<Void> refused(
            ChannelHandlerContext ctx, RejectedRequest why, HttpRequest inFlight, long startNanos) {
        // The destination is known only for the request in flight; a refused head named none yet.
        Destination where = inFlight == null ? null : current;
        return Refusals.logOnceIdentified(
                services,
                ctx.channel(),
                where == null ? null : where.host(),
                where == null ? 0 : where.port(),
                inFlight,
                why,
                startNanos);
    }

    private CompletableFuture<Route> refuse(
            ChannelHandlerContext ctx, ErrorCode error, String detail, long startNanos) {
        current = null;
        return refuse(ctx, null, new RejectedRequest(error, detail), startNanos);
    }

    /** Logs (once the caller is known) and answers a request refused before the policy, then closes. */
    private CompletableFuture<Route> refuse(
            ChannelHandlerContext ctx, HttpRequest request, RejectedRequest why, long startNanos) {
        return refused(ctx, why, request, startNanos)
                .handleAsync(
                        (logged, error) -> new Route.Respond(
                                ProxyResponses.error(ctx.alloc(), why.error(), why.detail(), false), true),
                        ctx.executor());
    }

    private static int indexOfAny(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return -1;
    }
}
