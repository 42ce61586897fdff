package dev.openshell.api.decision;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the connection reached the proxy: through the proxy settings, or captured by the sandbox firewall because it ignored them. */
public enum CaptureMode {
    EXPLICIT("explicit"),
    TRANSPARENT("transparent");

    private final String wire;

    CaptureMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
