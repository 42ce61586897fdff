package dev.openshell.policy.model;

/** Whether L7 denials on an endpoint are enforced or only logged. */
public enum Enforcement {
    ENFORCE("enforce"),
    AUDIT("audit");

    private final String yaml;

    Enforcement(String yaml) {
        this.yaml = yaml;
    }

    /** The spelling used in policy YAML. */
    public String yaml() {
        return yaml;
    }
}
