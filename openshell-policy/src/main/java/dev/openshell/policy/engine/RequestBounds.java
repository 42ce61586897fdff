package dev.openshell.policy.engine;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.L7Request;
import dev.openshell.policy.model.RequestLimits;

/**
 * What an endpoint refuses in a request whose method and path it allows: a body on a read-only
 * endpoint (read-only requests send no data), and URL, query or header bytes over its {@code
 * request_limits}. Unset bounds are {@link Integer#MAX_VALUE}, so the common case costs a few
 * comparisons and no allocation.
 */
final class RequestBounds {

    /** Why the endpoint refuses the request: the rule that decided and the parenthesised reason. */
    record Refusal(String rule, String why) {}

    private final boolean readOnly;
    private final String readOnlyRule;
    private final int maxUrl;
    private final int maxQuery;
    private final int maxHeader;

    RequestBounds(Access access, String accessRule, RequestLimits limits) {
        this.readOnly = access == Access.READ_ONLY;
        this.readOnlyRule = accessRule;
        this.maxUrl = orUnbounded(limits.maxUrlBytes());
        this.maxQuery = orUnbounded(limits.maxQueryBytes());
        this.maxHeader = orUnbounded(limits.maxHeaderBytes());
    }

    private static int orUnbounded(Integer bound) {
        return bound == null ? Integer.MAX_VALUE : bound;
    }

    /** The refusal, or {@code null} when the request is within bounds. */
    Refusal check(L7Request r) {
        if (readOnly && r.hasBody()) {
            return new Refusal(readOnlyRule, readOnlyRule + " takes no request body: read-only requests send no data");
        }
        String target = r.target();
        int url = target.length();
        if (url > maxUrl) {
            return over("a URL of " + url + " bytes exceeds", "max_url_bytes", maxUrl);
        }
        if (maxQuery != Integer.MAX_VALUE) {
            int q = target.indexOf('?');
            int query = q < 0 ? 0 : url - q - 1;
            if (query > maxQuery) {
                return over("a query of " + query + " bytes exceeds", "max_query_bytes", maxQuery);
            }
        }
        if (r.headerBytes() > maxHeader) {
            return over("headers of " + r.headerBytes() + " bytes exceed", "max_header_bytes", maxHeader);
        }
        return null;
    }

    private static Refusal over(String what, String limit, int max) {
        String rule = "request_limits." + limit;
        return new Refusal(rule, what + " " + rule + " (" + max + ")");
    }
}
