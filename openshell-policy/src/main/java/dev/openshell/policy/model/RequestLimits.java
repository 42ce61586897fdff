package dev.openshell.policy.model;

/**
 * Optional bounds on what one HTTP request to a {@code protocol: rest} endpoint may carry outside
 * its body ({@code request_limits} in YAML). A request over any bound is not allowed by the
 * endpoint. Each bound is {@code null} when not set.
 *
 * @param maxUrlBytes most bytes of the request target: path plus {@code ?query}, as sent
 * @param maxQueryBytes most bytes of the query (after the {@code ?}); 0 allows no query at all
 * @param maxHeaderBytes most bytes of all header fields together, each counted as {@code name: value}
 *     plus its line end
 */
public record RequestLimits(Integer maxUrlBytes, Integer maxQueryBytes, Integer maxHeaderBytes) {

    /** No bound at all: what an endpoint without {@code request_limits} has. */
    public static final RequestLimits NONE = new RequestLimits(null, null, null);

    /** The largest value any bound may take. */
    public static final int MAX = 1 << 20;

    /** Whether no bound is set. */
    public boolean isEmpty() {
        return maxUrlBytes == null && maxQueryBytes == null && maxHeaderBytes == null;
    }
}
