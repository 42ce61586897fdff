package dev.openshell.api.policy;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an endpoint is policed: {@code l4} allows or denies the tunnel, {@code rest} checks every HTTP request. */
public enum EndpointProtocol {
    L4("l4"),
    REST("rest");

    private final String wire;

    EndpointProtocol(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
