package dev.openshell.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Replaces a sandbox's policy ({@code PUT /api/v1/sandboxes/{name}/policy}, optionally with {@code
 * If-Match}). Only {@code network_policies} may differ from the running policy; a change to a
 * static section is {@code policy_static_change}.
 *
 * @param policy the whole policy YAML
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicySetRequest(String policy) {

    public void validate() {
        Violations v = new Violations();
        if (policy == null || policy.isBlank()) {
            v.add("policy", "is required");
        }
        TextRules.check(v, "policy", policy, SandboxCreateRequest.MAX_POLICY_LENGTH);
        v.throwIfAny();
    }
}
