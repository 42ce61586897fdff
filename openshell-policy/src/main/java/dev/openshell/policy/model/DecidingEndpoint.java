package dev.openshell.policy.model;

import java.util.Objects;

/**
 * The endpoint that took a decision: the key of its network policy and its position in that
 * policy's {@code endpoints} list ({@code network_policies.<policy>.endpoints[<index>]}).
 */
public record DecidingEndpoint(String policy, int index) {

    public DecidingEndpoint {
        Objects.requireNonNull(policy, "policy");
        if (index < 0) {
            throw new IllegalArgumentException("endpoint index " + index + " is negative");
        }
    }
}
