package dev.openshell.policy.model;

import java.util.Objects;

/** How strictly Landlock must be applied. */
public record LandlockPolicy(Compatibility compatibility) {

    public static final LandlockPolicy DEFAULT = new LandlockPolicy(Compatibility.BEST_EFFORT);

    public LandlockPolicy {
        Objects.requireNonNull(compatibility, "compatibility");
    }

    /** What to do when a listed path is missing or the kernel lacks Landlock. */
    public enum Compatibility {
        /** Skip what cannot be enforced, with a warning. */
        BEST_EFFORT("best_effort"),
        /** Abort the sandbox start. */
        HARD_REQUIREMENT("hard_requirement");

        private final String yaml;

        Compatibility(String yaml) {
            this.yaml = yaml;
        }

        /** The spelling used in policy YAML. */
        public String yaml() {
            return yaml;
        }
    }
}
