package dev.openshell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The answer to a delete. Deletes are idempotent: deleting what is not there succeeds with {@link
 * Outcome#ALREADY_ABSENT}, so a retried delete never fails.
 *
 * @param name the name (or id) that was deleted
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeleteResult(String name, Outcome result) {

    /** What the delete did. */
    public enum Outcome {
        DELETED("deleted"),
        ALREADY_ABSENT("already_absent");

        private final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }

    public static DeleteResult deleted(String name) {
        return new DeleteResult(name, Outcome.DELETED);
    }

    public static DeleteResult alreadyAbsent(String name) {
        return new DeleteResult(name, Outcome.ALREADY_ABSENT);
    }
}
