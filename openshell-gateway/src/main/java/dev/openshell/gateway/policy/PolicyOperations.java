package dev.openshell.gateway.policy;

import dev.openshell.api.ApiException;
import dev.openshell.api.policy.PolicyOperation;
import dev.openshell.api.policy.PolicyUpdateRequest;
import dev.openshell.policy.PolicyUpdates;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyUpdate;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the API's merge operations into the policy engine's updates, through the engine's own
 * spec parsers so hosts are canonicalised exactly as {@code openshell policy update} does. An
 * operation the engine refuses names its index.
 */
final class PolicyOperations {

    private PolicyOperations() {}

    static List<PolicyUpdate> toUpdates(PolicyUpdateRequest request) {
        List<PolicyUpdate> updates = new ArrayList<>();
        for (int i = 0; i < request.operations().size(); i++) {
            try {
                updates.add(toUpdate(request.operations().get(i)));
            } catch (PolicyException | IllegalArgumentException e) {
                throw ApiException.invalid("operations[" + i + "]", e.getMessage());
            }
        }
        return updates;
    }

    private static PolicyUpdate toUpdate(PolicyOperation op) {
        String hostPort = (op.host().indexOf(':') >= 0 ? "[" + op.host() + "]" : op.host()) + ":" + op.port();
        return switch (op) {
            case PolicyOperation.AddEndpoint a -> {
                String spec = hostPort
                        + (a.access() != null ? ":" + a.access().wire() : "")
                        + (a.protocol() != null ? ":" + a.protocol().wire() : "");
                yield PolicyUpdates.parseAddEndpoint(spec, a.policyKey(), a.binaries());
            }
            case PolicyOperation.RemoveEndpoint r -> PolicyUpdates.parseRemoveEndpoint(hostPort);
            case PolicyOperation.AddAllow a ->
                PolicyUpdates.parseAddAllow(hostPort + " " + a.method() + " " + a.path(), a.binary());
            case PolicyOperation.AddDeny d ->
                PolicyUpdates.parseAddDeny(hostPort + " " + d.method() + " " + d.path(), d.binary());
        };
    }
}
