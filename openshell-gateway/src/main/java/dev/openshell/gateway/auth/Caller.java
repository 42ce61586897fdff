package dev.openshell.gateway.auth;

import dev.openshell.api.auth.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * Who is calling, as the authentication filter established it.
 *
 * @param id stable for the credential ({@code cert:<serial>}, {@code token:<id>}); scopes
 *     idempotency keys so two callers never see each other's results
 * @param sandboxId for a supervisor token: the one sandbox it acts for; null otherwise
 */
public record Caller(String id, Kind kind, Set<Scope> scopes, String sandboxId) {

    /** How the caller authenticated. */
    public enum Kind {
        /** A client certificate from the gateway's CA: the operator, allowed everything. */
        CLIENT_CERTIFICATE,
        /** An API token with scopes. */
        TOKEN,
        /** A sandbox supervisor's token: only that sandbox's supervisor endpoints. */
        SUPERVISOR
    }

    static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public static Caller operator(String id) {
        return new Caller(id, Kind.CLIENT_CERTIFICATE, Set.of(Scope.ADMIN), null);
    }

    /** Whether the caller may do what {@code required} allows. */
    public boolean has(Scope required) {
        return kind != Kind.SUPERVISOR && scopes.stream().anyMatch(s -> s.covers(required));
    }

    /** The caller of the current request (set by {@link AuthenticationFilter}). */
    public static Caller of(HttpServletRequest request) {
        Object caller = request.getAttribute(ATTRIBUTE);
        if (caller instanceof Caller c) {
            return c;
        }
        throw new IllegalStateException("no authenticated caller on " + request.getRequestURI());
    }
}
