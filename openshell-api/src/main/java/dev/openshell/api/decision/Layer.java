package dev.openshell.api.decision;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a decision was made: {@code l4} on the connection, {@code l7} on an HTTP request inside it. */
public enum Layer {
    L4("l4"),
    L7("l7");

    private final String wire;

    Layer(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
