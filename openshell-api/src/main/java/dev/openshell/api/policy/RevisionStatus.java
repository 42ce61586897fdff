package dev.openshell.api.policy;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a policy revision is: sent and awaiting the sandbox's ack, loaded, rejected, or replaced by a newer one. */
public enum RevisionStatus {
    PENDING("pending"),
    LOADED("loaded"),
    FAILED("failed"),
    SUPERSEDED("superseded");

    private final String wire;

    RevisionStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether the revision will not change status any more except to {@link #SUPERSEDED}. */
    public boolean isSettled() {
        return this != PENDING;
    }
}
