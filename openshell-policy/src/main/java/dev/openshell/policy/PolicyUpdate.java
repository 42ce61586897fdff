package dev.openshell.policy;

import java.util.List;

/**
 * A merge operation on a policy's network section ({@code openshell policy update}). Apply with
 * {@link PolicyUpdates#apply(Policy, List)}.
 */
public sealed interface PolicyUpdate {

    /**
     * Adds an endpoint for some binaries. With {@code policyKey} null, a key is derived from the
     * host and port ({@code allow_api_github_com_443}); an existing policy with that key gets the
     * endpoint and binaries merged in.
     *
     * @param access with {@code protocol} REST: the preset (default {@code full}); null for L4
     */
    record AddEndpoint(String policyKey, String host, int port, Access access, Protocol protocol, List<String> binaries)
            implements PolicyUpdate {
        public AddEndpoint {
            binaries = List.copyOf(binaries);
        }
    }

    /** Removes every endpoint for host:port; policies left with no endpoint are removed. */
    record RemoveEndpoint(String host, int port) implements PolicyUpdate {}

    /** Adds an allow rule to the REST endpoint host:port that applies to {@code binary}. */
    record AddAllow(String host, int port, String binary, String method, String path) implements PolicyUpdate {}

    /** Adds a deny rule to the REST endpoint host:port that applies to {@code binary}. */
    record AddDeny(String host, int port, String binary, String method, String path) implements PolicyUpdate {}
}
