package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;

/** Expresses refusals that are not policy decisions (limits, malformed input) as loggable decisions. */
final class LimitDecisions {

    private LimitDecisions() {}

    /** A denial whose rule names the limit, e.g. {@code limit:headers_too_large}. */
    static Decision of(RejectedRequest r) {
        return of(r.error(), r.detail());
    }

    static Decision of(ErrorCode error, String detail) {
        return Decision.deny(Layer.L4, "limit:" + error.wire(), detail);
    }

    /** The same at {@code layer}: {@code l7} for a request on an inspected connection. */
    static Decision of(RejectedRequest r, Layer layer) {
        return Decision.deny(layer, "limit:" + r.error().wire(), r.detail());
    }
}
