package dev.openshell.policy.model;

import java.util.List;
import java.util.Objects;

/**
 * A merge operation on a policy's network section ({@code openshell policy update}). Apply with
 * {@link dev.openshell.policy.PolicyUpdates#apply(Policy, List)}; parse the CLI spellings with
 * the {@code parse*} methods of {@link dev.openshell.policy.PolicyUpdates}. Hosts are expected in canonical form (as the parsers return
 * them): lower-case, no trailing dot, IPv6 without brackets.
 */
public sealed interface PolicyUpdate {

    /** Error code for an update spec or operation that cannot be applied. */
    String INVALID = "policy_update_invalid";

    /**
     * Adds an endpoint for some binaries. With {@code policyKey} null, a key is derived from the
     * host and port ({@code allow_api_github_com_443}); an existing policy with that key gets the
     * endpoint and binaries merged in.
     *
     * @param access with {@code protocol} REST: the preset to set; {@code null} means "not given":
     *     a new endpoint gets {@code full}, an existing one keeps what it has. Must be null for L4.
     * @param protocol {@link Protocol#L4} or {@link Protocol#REST}; {@code null} means REST when
     *     {@code access} is given, else L4
     * @param binaries binary paths (or globs) to add to the policy; required when the policy is new
     */
    record AddEndpoint(String policyKey, String host, int port, Access access, Protocol protocol, List<String> binaries)
            implements PolicyUpdate {
        public AddEndpoint {
            Objects.requireNonNull(host, "host");
            protocol = protocol != null ? protocol : access != null ? Protocol.REST : Protocol.L4;
            binaries = List.copyOf(binaries);
        }
    }

    /**
     * Removes port {@code port} of host {@code host} from every endpoint (an endpoint with ports
     * [80, 443] keeps 80); endpoints left without ports, and policies left without endpoints, are
     * removed. Removing something that is not there is an error, so typos are noticed.
     */
    record RemoveEndpoint(String host, int port) implements PolicyUpdate {
        public RemoveEndpoint {
            Objects.requireNonNull(host, "host");
        }
    }

    /**
     * Adds an allow rule to the REST endpoint host:port that applies to {@code binary} (exact path
     * as listed in the policy's binaries). Creates a policy {@code allow_HOST_PORT} for the binary
     * when no REST endpoint for it exists. An endpoint that uses an {@code access} preset takes no
     * rules: that is an error.
     *
     * @param method upper-case HTTP method or {@code *}
     * @param path path glob starting with {@code /}
     */
    record AddAllow(String host, int port, String binary, String method, String path) implements PolicyUpdate {
        public AddAllow {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * Adds a deny rule to every REST endpoint host:port that applies to {@code binary}, or, with
     * {@code binary} null, to every REST endpoint host:port in the policy. It is an error when
     * there is no such endpoint.
     */
    record AddDeny(String host, int port, String binary, String method, String path) implements PolicyUpdate {
        public AddDeny {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
        }
    }
}
