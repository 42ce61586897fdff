package dev.openshell.policy.model;

import java.util.List;

/**
 * One named entry of {@code network_policies}: which binaries may reach which endpoints.
 *
 * @param key the map key in YAML; what decisions and updates refer to
 * @param name optional display name, or {@code null}
 * @param endpoints where the binaries may connect (at least one)
 * @param binaries which executables the policy applies to (at least one); a connection matches
 *     when its binary or any ancestor process's binary matches
 */
public record NetworkPolicy(String key, String name, List<Endpoint> endpoints, List<BinaryRef> binaries) {

    public NetworkPolicy {
        endpoints = List.copyOf(endpoints);
        binaries = List.copyOf(binaries);
    }
}
