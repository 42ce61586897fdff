package dev.openshell.policy.model;

import java.util.Set;

/** HTTP access presets for {@code protocol: rest} endpoints. */
public enum Access {
    /** GET, HEAD, OPTIONS. */
    READ_ONLY("read-only", Set.of("GET", "HEAD", "OPTIONS")),
    /** read-only plus POST, PUT, PATCH. */
    READ_WRITE("read-write", Set.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH")),
    /** Every method. */
    FULL("full", null);

    private final String yaml;
    private final Set<String> methods;

    Access(String yaml, Set<String> methods) {
        this.yaml = yaml;
        this.methods = methods;
    }

    /** The spelling used in policy YAML. */
    public String yaml() {
        return yaml;
    }

    /** Whether the preset allows this (upper-case) HTTP method. */
    public boolean allows(String method) {
        return methods == null || methods.contains(method);
    }

    /** The preset with this YAML spelling, or {@code null}. */
    public static Access fromYaml(String s) {
        for (Access a : values()) {
            if (a.yaml.equals(s)) {
                return a;
            }
        }
        return null;
    }
}
