package dev.openshell.policy.validate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where model elements came from in the YAML text (internal to the policy module).
 *
 * <p>Rules are written once, against the model, and name model paths such as {@code
 * network_policies.gh.endpoints[0].ports[0]}. This map turns such a path into the YAML path the
 * user wrote ({@code ...endpoints[0].port}), with the 1-based line and column of its node. For a
 * policy built in code the map is empty and errors carry line 0.
 *
 * <p>It also records "dirty" elements: ones the YAML reader already reported a structural error
 * in. Cross-field rules skip those so a single mistake is not reported twice.
 */
public final class SourceMap {

    /** A YAML path and its 1-based position. */
    public record Location(String yamlPath, int line, int column) {}

    private final Map<String, Location> locations = new HashMap<>();
    private final Set<String> dirty = new HashSet<>();

    /** A map with no locations, for policies built in code. */
    public static SourceMap empty() {
        return new SourceMap();
    }

    /** Records that the model element at {@code modelPath} came from {@code location}. */
    public void put(String modelPath, Location location) {
        locations.putIfAbsent(modelPath, location);
    }

    /** Marks an element whose YAML already produced an error. */
    public void markDirty(String modelPath) {
        dirty.add(modelPath);
    }

    public boolean isDirty(String modelPath) {
        return dirty.contains(modelPath);
    }

    /**
     * The location of a model path: its own if recorded, else its nearest recorded ancestor's
     * position with the remaining path segments appended to the YAML path.
     */
    public Location locate(String modelPath) {
        String p = modelPath;
        while (true) {
            Location loc = locations.get(p);
            if (loc != null) {
                return new Location(loc.yamlPath() + modelPath.substring(p.length()), loc.line(), loc.column());
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return new Location(modelPath, 0, 0);
            }
            p = p.substring(0, cut);
        }
    }
}
