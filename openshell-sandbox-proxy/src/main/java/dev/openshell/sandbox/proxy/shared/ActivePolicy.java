package dev.openshell.sandbox.proxy.shared;

import dev.openshell.policy.model.CompiledPolicy;
import java.util.Objects;

/** A compiled policy together with the generation number the gateway gave it. */
public record ActivePolicy(CompiledPolicy policy, long generation) {

    public ActivePolicy {
        Objects.requireNonNull(policy, "policy");
    }
}
