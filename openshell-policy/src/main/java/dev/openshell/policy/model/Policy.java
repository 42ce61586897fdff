package dev.openshell.policy.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed, validated policy document (schema version 1).
 *
 * <p>{@code filesystem}, {@code landlock} and {@code process} are <em>static</em>: fixed when a
 * sandbox is created. {@code networkPolicies} is <em>dynamic</em>: it can be hot-reloaded. The
 * map keeps document order, which canonical serialisation preserves.
 */
public record Policy(
        int version,
        FilesystemPolicy filesystem,
        LandlockPolicy landlock,
        ProcessPolicy process,
        Map<String, NetworkPolicy> networkPolicies) {

    public static final int SCHEMA_VERSION = 1;

    public Policy {
        Objects.requireNonNull(filesystem, "filesystem");
        Objects.requireNonNull(landlock, "landlock");
        Objects.requireNonNull(process, "process");
        networkPolicies = Collections.unmodifiableMap(new LinkedHashMap<>(networkPolicies));
    }

    /**
     * A policy with default static sections (the filesystem {@linkplain FilesystemPolicy#BASELINE
     * baseline}) and no network access at all: what {@code version: 1} alone parses to.
     */
    public static Policy denyAll() {
        return new Policy(
                SCHEMA_VERSION, FilesystemPolicy.DEFAULT, LandlockPolicy.DEFAULT, ProcessPolicy.DEFAULT, Map.of());
    }

    /** Returns a copy of this policy with other network policies (static sections unchanged). */
    public Policy withNetworkPolicies(Map<String, NetworkPolicy> replacement) {
        return new Policy(version, filesystem, landlock, process, replacement);
    }

    /** Number of endpoints over all network policies. */
    public int endpointCount() {
        return networkPolicies.values().stream()
                .mapToInt(p -> p.endpoints().size())
                .sum();
    }
}
