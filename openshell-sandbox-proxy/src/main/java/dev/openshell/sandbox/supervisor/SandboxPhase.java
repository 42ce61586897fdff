package dev.openshell.sandbox.supervisor;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a sandbox is in its life (DESIGN.md section 3): {@code Provisioning → Ready → Stopping →
 * Stopped}, or {@code Error} with a reason. The local driver has no {@code Starting} or {@code
 * Deleting}: a stopped local sandbox is gone.
 */
public enum SandboxPhase {
    PROVISIONING("Provisioning"),
    READY("Ready"),
    STOPPING("Stopping"),
    STOPPED("Stopped"),
    ERROR("Error");

    private final String display;

    SandboxPhase(String display) {
        this.display = display;
    }

    /** The name as shown and stored ({@code Ready}). */
    @JsonValue
    public String display() {
        return display;
    }

    /** Whether the sandbox has ended (no processes, no network). */
    public boolean isFinal() {
        return this == STOPPED || this == ERROR;
    }

    @JsonCreator
    public static SandboxPhase fromDisplay(String value) {
        for (SandboxPhase phase : values()) {
            if (phase.display.equals(value)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("unknown phase " + value);
    }
}
