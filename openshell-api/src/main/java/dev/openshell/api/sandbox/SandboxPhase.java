package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a sandbox is in its life: {@code Provisioning → Ready}, {@code Stopping → Stopped →
 * Starting → Ready}, {@code Deleting}, or {@code Error} with a reason. Ready means the workload
 * runs and its supervisor's session to the gateway is up. The wire form is the capitalised name.
 */
public enum SandboxPhase {
    PROVISIONING("Provisioning"),
    READY("Ready"),
    STOPPING("Stopping"),
    STOPPED("Stopped"),
    STARTING("Starting"),
    DELETING("Deleting"),
    ERROR("Error");

    private final String wire;

    SandboxPhase(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Whether the sandbox stays in this phase until someone acts (start, delete). */
    public boolean isSettled() {
        return this == READY || this == STOPPED || this == ERROR;
    }
}
