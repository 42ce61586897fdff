package dev.openshell.policy;

/**
 * A policy decision that explains itself.
 *
 * @param verdict allow, deny, or audit-allow
 * @param layer where it was taken
 * @param policy the key of the network policy that decided, or {@code null} when none matched
 * @param endpointIndex index of the deciding endpoint within that policy, or -1
 * @param rule which rule decided, e.g. {@code access: read-only}, {@code rules[0]},
 *     {@code deny_rules[1]}, {@code destination-guard}; or {@code null}
 * @param reason a sentence a user can read as-is, e.g. "no policy allows /usr/bin/python3 to
 *     reach api.github.com:443; policy gh allows it for /usr/bin/gh"
 * @param inspect for an allowed L4 decision: whether every HTTP request on the connection must
 *     be evaluated at L7 (a {@code protocol: rest} endpoint matched)
 * @param suggestion for a denial that a policy update could lift: the arguments of
 *     {@code openshell policy update <sandbox> ...}, e.g. {@code --add-endpoint
 *     api.github.com:443 --binary /usr/bin/python3}; otherwise {@code null}
 */
public record Decision(
        Verdict verdict,
        Layer layer,
        String policy,
        int endpointIndex,
        String rule,
        String reason,
        boolean inspect,
        String suggestion) {

    public boolean permits() {
        return verdict.permits();
    }
}
