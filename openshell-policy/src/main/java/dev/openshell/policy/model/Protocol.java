package dev.openshell.policy.model;

/** How deeply the proxy inspects an endpoint's traffic. */
public enum Protocol {
    /** Allow or deny the connection only (YAML: {@code protocol} omitted). */
    L4(null),
    /** Terminate TLS and evaluate every HTTP request (YAML: {@code protocol: rest}). */
    REST("rest");

    private final String yaml;

    Protocol(String yaml) {
        this.yaml = yaml;
    }

    /** The spelling used in policy YAML, or {@code null} for {@link #L4}. */
    public String yaml() {
        return yaml;
    }
}
