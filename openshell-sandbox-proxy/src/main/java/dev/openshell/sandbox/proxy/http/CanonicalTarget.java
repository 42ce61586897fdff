package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.match.RequestTarget;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.sandbox.proxy.admission.Admission;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Puts an inspected request on its canonical target ({@link RequestTarget#canonical()}) before
 * anything looks at it: the policy decides on that target, the decision log records it and the
 * upstream receives it. Forwarding the canonical form, not the bytes as sent, means the upstream
 * never gets a spelling other than the one that was checked (for the usual plain path they are
 * the same string). A target that servers could read in more than one way is answered {@code 400
 * ambiguous_path} with a JSON body naming why, and logged as {@code limit:ambiguous_path} at L7,
 * without being evaluated or forwarded.
 */
public final class CanonicalTarget {

    /** The error code of the 400 answer and of its decision-log rule ({@code limit:ambiguous_path}). */
    private CanonicalTarget() {}

    /**
     * Rewrites the request's URI to its canonical form and returns {@code null}; for an ambiguous
     * target, logs the refusal and returns the answer to send instead.
     *
     * @param admitted the connection-level admission of the request's destination and caller
     */
    public static Route.Respond apply(
            ChannelHandlerContext ctx,
            ProxyServices services,
            HttpRequest request,
            Admission.Result admitted,
            long startNanos) {
        RequestTarget target = RequestTarget.parse(request.uri());
        if (target.error() == null) {
            if (!target.canonical().equals(request.uri())) {
                request.setUri(target.canonical());
            }
            return null;
        }
        String method = request.method().name();
        String detail = method + " " + target.rawPath() + " is refused: " + target.error()
                + "; servers read such paths in different ways, so policy rules could not be trusted to match it";
        Decision refusal = LimitDecisions.of(new RejectedRequest(ErrorCode.AMBIGUOUS_PATH, detail), Layer.L7);
        services.logger()
                .log(DecisionEntry.request(
                        admitted.caller(),
                        admitted.request().host(),
                        admitted.request().port(),
                        method,
                        request.uri(),
                        refusal,
                        services.policy().generation(),
                        startNanos));
        return new Route.Respond(ProxyResponses.error(ctx.alloc(), ErrorCode.AMBIGUOUS_PATH, detail, true), false);
    }
}
