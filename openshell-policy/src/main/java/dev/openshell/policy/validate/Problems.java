package dev.openshell.policy.validate;

import dev.openshell.policy.model.PolicyError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Collects validation errors against model paths, resolving them to YAML positions through a
 * {@link SourceMap} (internal to the policy module).
 */
public final class Problems {

    private final SourceMap sources;
    private final boolean requireCanonical;
    private final List<PolicyError> errors = new ArrayList<>();

    /**
     * @param requireCanonical report values that are valid but not in canonical form (used for
     *     policies built in code, which the engine consumes as-is)
     */
    public Problems(SourceMap sources, boolean requireCanonical) {
        this.sources = sources;
        this.requireCanonical = requireCanonical;
    }

    /** Reports a problem with the model element at {@code modelPath}. */
    public void add(String modelPath, String message) {
        SourceMap.Location loc = sources.locate(modelPath);
        errors.add(new PolicyError(loc.yamlPath(), loc.line(), loc.column(), message));
    }

    /** Adds an error about the map key of a model element, located at the key itself. */
    public void addAtKey(String modelPath, String message) {
        SourceMap.Location loc = sources.locateKey(modelPath);
        errors.add(new PolicyError(loc.yamlPath(), loc.line(), loc.column(), message));
    }

    /** Adds an error that already has its position (reported by the YAML reader). */
    public void add(PolicyError error) {
        errors.add(error);
    }

    /**
     * Reports, for policies built in code, a valid value whose canonical spelling differs; parsed
     * documents are simply normalised.
     */
    public void canonical(String modelPath, Object given, Object canonical) {
        if (requireCanonical && !Objects.equals(given, canonical)) {
            add(modelPath, "`" + given + "` is not in canonical form; use `" + canonical + "`");
        }
    }

    /** Whether cross-field rules for this element should be skipped (already reported). */
    public boolean isDirty(String modelPath) {
        return sources.isDirty(modelPath);
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public int size() {
        return errors.size();
    }

    /** The errors; sorted by position when they carry one (stable, so same-place errors keep order). */
    public List<PolicyError> sorted() {
        List<PolicyError> copy = new ArrayList<>(errors);
        copy.sort(Comparator.comparingInt(PolicyError::line).thenComparingInt(PolicyError::column));
        return List.copyOf(copy);
    }
}
