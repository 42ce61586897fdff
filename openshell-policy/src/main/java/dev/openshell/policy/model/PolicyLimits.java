package dev.openshell.policy.model;

/**
 * Size limits of a policy document, enforced by parsing and validation alike so that a hostile
 * document cannot make the parser or the engine allocate without bound.
 */
public final class PolicyLimits {

    /** The largest document accepted, in bytes (1 MiB). */
    public static final int MAX_BYTES = 1 << 20;

    /** The most endpoints a policy may have, over all its network policies. */
    public static final int MAX_ENDPOINTS = 10_000;

    /** The longest path (filesystem path, binary, URL path glob) or policy name accepted. */
    public static final int MAX_PATH_LENGTH = 4096;

    private PolicyLimits() {}
}
