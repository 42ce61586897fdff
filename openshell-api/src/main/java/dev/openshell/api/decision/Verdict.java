package dev.openshell.api.decision;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the proxy decided: {@code audit} means let through under {@code enforcement: audit}, where it would have been denied. */
public enum Verdict {
    ALLOW("allow"),
    DENY("deny"),
    AUDIT("audit");

    private final String wire;

    Verdict(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
