package dev.openshell.sandbox.proxy.dns;

import dev.openshell.policy.match.HostPattern;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;

/**
 * Whether a policy names a host at all: the sandbox DNS refuses any other name at once, before it
 * spends a lookup of the asking program on it.
 */
public final class PolicyHostNames {

    private PolicyHostNames() {}

    /**
     * True when some endpoint's host (exact or wildcard) matches {@code name} (lower-case, no
     * trailing dot), for whichever binaries: whether the asking program is one of them is {@code
     * CompiledPolicy.mayResolve}'s question.
     */
    public static boolean names(Policy policy, String name) {
        for (NetworkPolicy p : policy.networkPolicies().values()) {
            for (Endpoint e : p.endpoints()) {
                if (e.host() != null && HostPattern.of(e.host()).matches(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
