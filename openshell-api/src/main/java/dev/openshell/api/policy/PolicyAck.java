package dev.openshell.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A sandbox supervisor's answer to a policy revision ({@code POST
 * /api/v1/sandboxes/{name}/supervisor/policy-acks}): loaded, or failed with the reason.
 *
 * @param status {@link RevisionStatus#LOADED} or {@link RevisionStatus#FAILED}
 * @param error why it was rejected; only with {@code failed}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyAck(long revision, RevisionStatus status, String error) {

    public static final int MAX_ERROR = 4096;

    public static PolicyAck loaded(long revision) {
        return new PolicyAck(revision, RevisionStatus.LOADED, null);
    }

    public static PolicyAck failed(long revision, String error) {
        return new PolicyAck(revision, RevisionStatus.FAILED, error);
    }

    public void validate() {
        Violations v = new Violations();
        if (revision < 1) {
            v.add("revision", revision + " is not a revision number (1 or more)");
        }
        if (status != RevisionStatus.LOADED && status != RevisionStatus.FAILED) {
            v.add("status", "must be loaded or failed");
        }
        if (status == RevisionStatus.LOADED && error != null) {
            v.add("error", "only a failed revision has an error");
        }
        TextRules.check(v, "error", error, MAX_ERROR);
        v.throwIfAny();
    }
}
