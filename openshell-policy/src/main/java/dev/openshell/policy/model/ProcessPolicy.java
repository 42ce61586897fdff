package dev.openshell.policy.model;

import java.util.Objects;

/** The identity the agent process runs as; never root. */
public record ProcessPolicy(String runAsUser, String runAsGroup) {

    public static final String DEFAULT_USER = "sandbox";
    public static final ProcessPolicy DEFAULT = new ProcessPolicy(DEFAULT_USER, DEFAULT_USER);

    public ProcessPolicy {
        Objects.requireNonNull(runAsUser, "runAsUser");
        Objects.requireNonNull(runAsGroup, "runAsGroup");
    }
}
