package dev.openshell.policy.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A policy decision that explains itself. Nothing in it is {@code null}: what a decision may lack
 * (the endpoint, the rule, a suggested update) is an empty {@link Optional}.
 *
 * @param verdict allow, deny, or audit-allow
 * @param layer where it was taken
 * @param endpoint the endpoint that decided; empty when none matched (no endpoint admits the host,
 *     the destination guard ruled first, or the proxy refused the input before the policy)
 * @param rule which rule decided, e.g. {@code access: read-only}, {@code rules[0]}, {@code
 *     deny_rules[1]}, {@code destination-guard}; the proxy adds its own ({@code limit:...}, {@code
 *     bypass:...})
 * @param reason a sentence a user can read as-is, e.g. "no policy allows /usr/bin/python3 to
 *     reach api.github.com:443; policy gh allows it for /usr/bin/gh"
 * @param inspect for an allowed L4 decision: whether every HTTP request on the connection must be
 *     evaluated at L7 (a {@code protocol: rest} endpoint matched)
 * @param suggestion for a denial that a policy update could lift: the arguments of {@code
 *     openshell policy update <sandbox> ...}, e.g. {@code --add-endpoint api.github.com:443
 *     --binary /usr/bin/python3}
 */
public record Decision(
        Verdict verdict,
        Layer layer,
        Optional<DecidingEndpoint> endpoint,
        Optional<String> rule,
        String reason,
        boolean inspect,
        Optional<String> suggestion) {

    public Decision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(suggestion, "suggestion");
    }

    /**
     * A denial no endpoint took, decided by {@code rule} (e.g. the proxy's {@code
     * limit:headers_too_large}), without a suggestion.
     */
    public static Decision deny(Layer layer, String rule, String reason) {
        return new Decision(Verdict.DENY, layer, Optional.empty(), Optional.of(rule), reason, false, Optional.empty());
    }

    public boolean permits() {
        return verdict.permits();
    }

    /** The key of the network policy that decided, if an endpoint did. */
    public Optional<String> policy() {
        return endpoint.map(DecidingEndpoint::policy);
    }

    /** This decision with another rule and reason, everything else kept. */
    public Decision withRule(Optional<String> newRule, String newReason) {
        return new Decision(verdict, layer, endpoint, newRule, newReason, inspect, suggestion);
    }
}
