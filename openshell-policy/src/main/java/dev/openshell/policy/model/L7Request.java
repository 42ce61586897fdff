package dev.openshell.policy.model;

import java.util.Objects;

/**
 * One HTTP request on a connection already admitted at L4.
 *
 * @param connection the connection the request travels on
 * @param method the request method as sent (case-sensitive)
 * @param target the origin-form request target: path plus optional {@code ?query}, still
 *     percent-encoded as sent
 * @param headerBytes the size of the request's header fields, each counted as {@code name: value}
 *     plus CRLF (what {@code request_limits.max_header_bytes} bounds); 0 when not measured
 * @param hasBody whether the request carries a body ({@code Content-Length} above 0, or chunked),
 *     which an {@code access: read-only} endpoint refuses
 */
public record L7Request(L4Request connection, String method, String target, int headerBytes, boolean hasBody) {

    public L7Request {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
    }

    /** A request without a body whose headers are not measured (as {@code openshell policy check} asks). */
    public L7Request(L4Request connection, String method, String target) {
        this(connection, method, target, 0, false);
    }
}
