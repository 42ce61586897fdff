package dev.openshell.policy;

import java.util.Objects;

/**
 * One HTTP request on a connection already admitted at L4.
 *
 * @param connection the connection the request travels on
 * @param method the request method as sent (case-sensitive)
 * @param target the origin-form request target: path plus optional {@code ?query}, still
 *     percent-encoded as sent
 */
public record L7Request(L4Request connection, String method, String target) {

    public L7Request {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
    }
}
