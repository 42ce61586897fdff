package dev.openshell.policy;

import java.util.List;

/** Applies {@link PolicyUpdate}s and parses their CLI spellings. */
public final class PolicyUpdates {

    private PolicyUpdates() {}

    /**
     * Applies the operations in order and validates the result whole; on any error nothing is
     * applied and a {@link PolicyException} (or {@link PolicyValidationException}) explains why.
     */
    public static Policy apply(Policy policy, List<PolicyUpdate> updates) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Parses {@code host:port[:access[:protocol]]} (e.g. {@code api.github.com:443:read-only:rest}). */
    public static PolicyUpdate.AddEndpoint parseAddEndpoint(String spec, String policyKey, List<String> binaries) {
        throw new UnsupportedOperationException("in progress");
    }
}
