package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import dev.openshell.sandbox.proxy.admission.Destination;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Optional;

/**
 * Requests for {@code inference.local} bypass network policy and go to the inference handler;
 * without one they get {@code 503 inference_not_configured}. Either way the hand-off is logged.
 */
public final class InferenceRoutes {

    private InferenceRoutes() {}

    public static Route route(
            ProxyServices services, ChannelHandlerContext ctx, HttpRequest request, CallerIdentity caller, long start) {
        boolean configured = services.inference() != null;
        Decision decision = configured
                ? new Decision(
                        Verdict.ALLOW,
                        Layer.L7,
                        Optional.empty(),
                        Optional.of(Destination.INFERENCE_HOST),
                        "handed to the inference router",
                        false,
                        Optional.empty())
                : LimitDecisions.of(
                        ErrorCode.INFERENCE_NOT_CONFIGURED, "no inference route is configured for this sandbox");
        services.logger()
                .log(DecisionEntry.request(
                        Optional.ofNullable(caller),
                        Destination.INFERENCE_HOST,
                        0,
                        request.method().name(),
                        request.uri(),
                        decision,
                        services.policy().generation(),
                        start));
        if (!configured) {
            return new Route.Respond(
                    ProxyResponses.error(
                            ctx.alloc(),
                            ErrorCode.INFERENCE_NOT_CONFIGURED,
                            "no inference route is configured for this sandbox",
                            true),
                    false);
        }
        return new Route.Inference(caller);
    }
}
