package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.Decision;
import dev.openshell.policy.Layer;
import dev.openshell.policy.Verdict;

/** Expresses refusals that are not policy decisions (limits, malformed input) as loggable decisions. */
final class LimitDecisions {

    private LimitDecisions() {}

    /** A denial whose rule names the limit, e.g. {@code limit:headers_too_large}. */
    static Decision of(RejectedRequest r) {
        return of(r.error(), r.detail());
    }

    static Decision of(ErrorCode error, String detail) {
        return new Decision(Verdict.DENY, Layer.L4, null, -1, "limit:" + error.wire(), detail, false, null);
    }

    /** The same at {@code layer}: {@code l7} for a request on an inspected connection. */
    static Decision of(RejectedRequest r, Layer layer) {
        return new Decision(Verdict.DENY, layer, null, -1, "limit:" + r.error().wire(), r.detail(), false, null);
    }
}
