package dev.openshell.policy;

import java.util.List;

/**
 * The difference between two policies, split into static changes (filesystem, landlock, process:
 * rejected on a live sandbox) and dynamic ones (network policies: hot-reloadable).
 */
public record PolicyDiff(List<Change> staticChanges, List<Change> dynamicChanges) {

    public PolicyDiff {
        staticChanges = List.copyOf(staticChanges);
        dynamicChanges = List.copyOf(dynamicChanges);
    }

    public static PolicyDiff between(Policy before, Policy after) {
        throw new UnsupportedOperationException("in progress");
    }

    public boolean isEmpty() {
        return staticChanges.isEmpty() && dynamicChanges.isEmpty();
    }

    public boolean hasStaticChanges() {
        return !staticChanges.isEmpty();
    }

    /**
     * One change.
     *
     * @param path YAML path of what changed, e.g. {@code process.run_as_user} or {@code
     *     network_policies.gh}
     * @param kind added, removed or changed
     * @param before canonical YAML (or scalar) before, or null when added
     * @param after canonical YAML (or scalar) after, or null when removed
     */
    public record Change(String path, Kind kind, String before, String after) {}

    public enum Kind {
        ADDED,
        REMOVED,
        CHANGED
    }
}
