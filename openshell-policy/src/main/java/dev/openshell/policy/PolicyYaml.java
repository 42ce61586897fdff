package dev.openshell.policy;

/**
 * Canonical YAML serialisation: fixed key order, defaults written out, so that {@code
 * parse(write(p)).equals(p)} and equal policies serialise identically.
 */
public final class PolicyYaml {

    private PolicyYaml() {}

    public static String write(Policy policy) {
        throw new UnsupportedOperationException("in progress");
    }
}
