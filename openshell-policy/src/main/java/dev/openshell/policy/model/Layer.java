package dev.openshell.policy.model;

/** Where a decision was taken. */
public enum Layer {
    /** Connection level: binary, host, port, resolved addresses. */
    L4,
    /** HTTP request level: method, path, query. */
    L7;

    public String wire() {
        return this == L4 ? "l4" : "l7";
    }
}
