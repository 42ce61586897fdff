package dev.openshell.policy.validate;

import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.PolicyLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Rules for one entry of {@code network_policies}. */
final class NetworkPolicyChecker {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private NetworkPolicyChecker() {}

    static NetworkPolicy check(String key, NetworkPolicy policy, Problems problems) {
        String at = "network_policies." + key;
        if (!KEY.matcher(key).matches()) {
            problems.addAtKey(at, "policy key `" + key + "` is invalid; use 1-128 characters from A-Z a-z 0-9 _ . -");
        }
        if (!key.equals(policy.key())) {
            problems.add(at, "policy key `" + policy.key() + "` differs from its map key `" + key + "`");
        }
        if (policy.name() != null && policy.name().length() > PolicyLimits.MAX_PATH_LENGTH) {
            problems.add(
                    at + ".name",
                    "name is " + policy.name().length() + " characters long; at most " + PolicyLimits.MAX_PATH_LENGTH
                            + " are allowed");
        }
        boolean clean = !problems.isDirty(at);
        if (clean && policy.endpoints().isEmpty()) {
            problems.add(at + ".endpoints", "at least one endpoint is required");
        }
        if (clean && policy.binaries().isEmpty()) {
            problems.add(at + ".binaries", "at least one binary is required, e.g. `- path: /usr/bin/curl`");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < policy.endpoints().size(); i++) {
            endpoints.add(EndpointChecker.check(policy.endpoints().get(i), at + ".endpoints[" + i + "]", problems));
        }
        List<BinaryRef> binaries = new ArrayList<>();
        for (int i = 0; i < policy.binaries().size(); i++) {
            BinaryRef b = policy.binaries().get(i);
            String path =
                    PathRules.absolute(b == null ? null : b.path(), at + ".binaries[" + i + "].path", problems, true);
            if (path != null) {
                binaries.add(new BinaryRef(path));
            }
        }
        return new NetworkPolicy(key, policy.name(), endpoints, binaries);
    }
}
