package dev.openshell.policy.validate;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyLimits;
import dev.openshell.policy.model.ProcessPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies every schema-v1 rule to a policy model and returns its canonical form (internal to the
 * policy module). Used for parsed documents (with a {@link SourceMap} from the YAML reader) and
 * for policies built in code (empty map, canonical form required).
 */
public final class PolicyChecker {

    private PolicyChecker() {}

    /** Checks {@code policy}, adding problems; the result is meaningful only when none were added. */
    public static Policy check(Policy policy, Problems problems) {
        if (policy.version() != Policy.SCHEMA_VERSION && !problems.isDirty("version")) {
            problems.add("version", "unsupported version " + policy.version() + "; only `version: 1` is supported");
        }
        int endpoints = policy.endpointCount();
        if (endpoints > PolicyLimits.MAX_ENDPOINTS) {
            problems.add("network_policies", tooManyEndpoints(endpoints));
            return policy;
        }
        FilesystemPolicy filesystem = FilesystemChecker.check(policy.filesystem(), problems);
        ProcessPolicy process = ProcessChecker.check(policy.process(), problems);
        Map<String, NetworkPolicy> network = new LinkedHashMap<>();
        for (Map.Entry<String, NetworkPolicy> e : policy.networkPolicies().entrySet()) {
            network.put(e.getKey(), NetworkPolicyChecker.check(e.getKey(), e.getValue(), problems));
        }
        return new Policy(policy.version(), filesystem, policy.landlock(), process, network);
    }

    /** The message for a policy over {@link PolicyLimits#MAX_ENDPOINTS}. */
    public static String tooManyEndpoints(int count) {
        return "the policy has " + count + " endpoints; at most " + PolicyLimits.MAX_ENDPOINTS + " are allowed";
    }
}
