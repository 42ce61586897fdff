package dev.openshell.policy.model;

/** The outcome of a policy evaluation. */
public enum Verdict {
    ALLOW,
    DENY,
    /** Would be denied, but the endpoint is in {@code enforcement: audit}: let through and log. */
    AUDIT_ALLOW;

    /** Whether the traffic may pass. */
    public boolean permits() {
        return this != DENY;
    }
}
