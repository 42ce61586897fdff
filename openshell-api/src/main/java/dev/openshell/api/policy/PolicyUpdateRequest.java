package dev.openshell.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.validation.Violations;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Merges operations into a sandbox's policy ({@code PATCH /api/v1/sandboxes/{name}/policy},
 * optionally with {@code If-Match}). They apply in order and the result is validated whole: on any
 * error nothing changes.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyUpdateRequest(List<PolicyOperation> operations) {

    public static final int MAX_OPERATIONS = 256;

    public PolicyUpdateRequest {
        if (operations == null) {
            operations = List.of();
        }
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i) == null) {
                throw new IllegalArgumentException("operations[" + i + "] is null");
            }
        }
        operations = List.copyOf(operations);
    }

    public void validate() {
        Violations v = new Violations();
        if (operations.isEmpty()) {
            v.add("operations", "must hold at least one operation");
        } else if (operations.size() > MAX_OPERATIONS) {
            v.add("operations", operations.size() + " operations; at most " + MAX_OPERATIONS);
        } else {
            for (int i = 0; i < operations.size(); i++) {
                operations.get(i).validate(v, "operations[" + i + "]");
            }
        }
        v.throwIfAny();
    }
}
