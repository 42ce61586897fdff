package dev.openshell.api.inference;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a route may send prompts: {@code local} (the sandbox's own compute or a host-local server) or {@code any}. */
public enum Privacy {
    LOCAL("local"),
    ANY("any");

    private final String wire;

    Privacy(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
