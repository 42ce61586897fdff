package dev.openshell.api.policy;

import com.fasterxml.jackson.annotation.JsonValue;

/** The access presets of a REST endpoint: read-only = GET, HEAD, OPTIONS; read-write adds POST, PUT, PATCH; full = all. */
public enum EndpointAccess {
    READ_ONLY("read-only"),
    READ_WRITE("read-write"),
    FULL("full");

    private final String wire;

    EndpointAccess(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
