package dev.openshell.policy.model;

/**
 * A binary named in a policy: an absolute path, or a glob ({@code *}, {@code **}, {@code ?},
 * {@code [..]}) over absolute paths.
 */
public record BinaryRef(String path) {

    /** Whether the path contains glob syntax. */
    public boolean isGlob() {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
    }
}
