package dev.openshell.policy.engine;

import dev.openshell.policy.match.BinaryMatcher;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.HostAddresses;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Compiles a policy's network section into an {@link CompiledPolicy}: globs compiled, binaries
 * hashed per policy, endpoints indexed by host. Entry point behind {@code PolicyEngine.compile}.
 */
public final class PolicyCompiler {

    private PolicyCompiler() {}

    /**
     * Compiles {@code policy}, which must be valid (as produced by the parser).
     *
     * @param binaryResolver maps exact binary paths to the paths they really denote; null means
     *     identity
     */
    public static CompiledPolicy compile(Policy policy, UnaryOperator<String> binaryResolver) {
        Objects.requireNonNull(policy, "policy");
        UnaryOperator<String> resolver = binaryResolver == null ? UnaryOperator.identity() : binaryResolver;
        List<CompiledEndpoint> endpoints = new ArrayList<>(policy.endpointCount());
        int ordinal = 0;
        for (Map.Entry<String, NetworkPolicy> entry : policy.networkPolicies().entrySet()) {
            NetworkPolicy np = entry.getValue();
            BinaryMatcher binaries = BinaryMatcher.of(np.binaries(), resolver);
            List<Endpoint> eps = np.endpoints();
            for (int i = 0; i < eps.size(); i++) {
                endpoints.add(new CompiledEndpoint(ordinal++, entry.getKey(), i, eps.get(i), binaries));
            }
        }
        return new IndexedPolicy(policy, new EndpointIndex(endpoints), HostAddresses.NONE);
    }
}
