package dev.openshell.policy;

import dev.openshell.policy.model.Policy;
import java.util.List;

/**
 * The difference between two policies, split into static changes (filesystem, landlock, process:
 * rejected on a live sandbox) and dynamic ones (network policies: hot-reloadable).
 *
 * <p>Only what can change a decision is a change: reordering map keys, paths, binaries,
 * endpoints or rules is not. Paths are YAML paths: {@code process.run_as_user}, {@code
 * filesystem_policy.read_only} (one change per path added or removed), {@code
 * network_policies.KEY} (a policy added or removed), {@code network_policies.KEY.name}, {@code
 * network_policies.KEY.endpoints} (one change per endpoint added, removed or changed) and {@code
 * network_policies.KEY.binaries} (one per binary).
 */
public record PolicyDiff(List<Change> staticChanges, List<Change> dynamicChanges) {

    public PolicyDiff {
        staticChanges = List.copyOf(staticChanges);
        dynamicChanges = List.copyOf(dynamicChanges);
    }

    public static PolicyDiff between(Policy before, Policy after) {
        return PolicyComparison.compare(before, after);
    }

    public boolean isEmpty() {
        return staticChanges.isEmpty() && dynamicChanges.isEmpty();
    }

    public boolean hasStaticChanges() {
        return !staticChanges.isEmpty();
    }

    /**
     * A human diff for the CLI, one {@link Change#render() line} per change under a heading per
     * kind of change, or {@code no changes}:
     *
     * <pre>
     * static (fixed when the sandbox is created):
     *   ~ process.run_as_user: sandbox -&gt; agent
     * network (hot-reloadable):
     *   + network_policies.gh: api.github.com:443 rest read-only for /usr/bin/gh
     * </pre>
     */
    public String render() {
        if (isEmpty()) {
            return "no changes\n";
        }
        StringBuilder sb = new StringBuilder();
        section(sb, "static (fixed when the sandbox is created):", staticChanges);
        section(sb, "network (hot-reloadable):", dynamicChanges);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String heading, List<Change> changes) {
        if (!changes.isEmpty()) {
            sb.append(heading).append('\n');
            changes.forEach(c -> sb.append("  ").append(c.render()).append('\n'));
        }
    }

    /**
     * One change.
     *
     * @param path YAML path of what changed, e.g. {@code process.run_as_user} or {@code
     *     network_policies.gh.endpoints}
     * @param kind added, removed or changed
     * @param before a scalar, a path, or a one-line form of an endpoint or network policy (e.g.
     *     {@code api.github.com:443 rest read-only}) before; null when added
     * @param after the same after; null when removed
     */
    public record Change(String path, Kind kind, String before, String after) {

        /** {@code + path: after}, {@code - path: before} or {@code ~ path: before -> after}. */
        public String render() {
            return switch (kind) {
                case ADDED -> "+ " + path + ": " + after;
                case REMOVED -> "- " + path + ": " + before;
                case CHANGED -> "~ " + path + ": " + before + " -> " + after;
            };
        }
    }

    public enum Kind {
        ADDED,
        REMOVED,
        CHANGED
    }
}
