package dev.openshell.sandbox.proxy.shared;

import dev.openshell.policy.model.Decision;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import java.util.Objects;
import java.util.Optional;

/**
 * One decision as {@link DecisionLogger#log} takes it: who asked, for what, what was decided, under
 * which policy generation and since when. Built with the factory that says what was decided on: a
 * {@link #tunnel}, a {@link #request}, a {@link #connection} (a captured one, at L4), or input
 * refused before it named a destination ({@link #unnamed}).
 *
 * @param caller the calling program; empty when it could not be identified (in time)
 * @param host the destination as named; empty when nothing was named yet
 * @param port the destination port; 0 without a host
 * @param method the HTTP method ({@code CONNECT} for a tunnel); empty when no request was read
 * @param target the request target as decided (its query values are redacted in the log)
 * @param startNanos {@link System#nanoTime()} when the request or connection arrived
 */
public record DecisionEntry(
        Optional<CallerIdentity> caller,
        Optional<String> host,
        int port,
        Optional<String> method,
        Optional<String> target,
        Decision decision,
        long generation,
        long startNanos) {

    public DecisionEntry {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(decision, "decision");
        if (host.isEmpty() && port != 0) {
            throw new IllegalArgumentException("a port without a host");
        }
    }

    /** A {@code CONNECT} to {@code host:port}. */
    public static DecisionEntry tunnel(
            Optional<CallerIdentity> caller,
            String host,
            int port,
            Decision decision,
            long generation,
            long startNanos) {
        return new DecisionEntry(
                caller,
                Optional.of(host),
                port,
                Optional.of("CONNECT"),
                Optional.empty(),
                decision,
                generation,
                startNanos);
    }

    /** An HTTP request for {@code host:port}. */
    public static DecisionEntry request(
            Optional<CallerIdentity> caller,
            String host,
            int port,
            String method,
            String target,
            Decision decision,
            long generation,
            long startNanos) {
        return new DecisionEntry(
                caller,
                Optional.of(host),
                port,
                Optional.of(method),
                Optional.of(target),
                decision,
                generation,
                startNanos);
    }

    /** A connection to {@code host:port} decided without an HTTP request (L4, or refused before one). */
    public static DecisionEntry connection(
            Optional<CallerIdentity> caller,
            String host,
            int port,
            Decision decision,
            long generation,
            long startNanos) {
        return new DecisionEntry(
                caller, Optional.of(host), port, Optional.empty(), Optional.empty(), decision, generation, startNanos);
    }

    /** Input refused before it named a destination (too many connections, a malformed head). */
    public static DecisionEntry unnamed(
            Optional<CallerIdentity> caller, Decision decision, long generation, long startNanos) {
        return new DecisionEntry(
                caller, Optional.empty(), 0, Optional.empty(), Optional.empty(), decision, generation, startNanos);
    }
}
