package dev.openshell.policy;

import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyUpdate;
import dev.openshell.policy.model.PolicyValidationException;
import dev.openshell.policy.update.NetworkPoliciesDraft;
import dev.openshell.policy.update.UpdateSpecs;
import java.util.List;
import java.util.Objects;

/**
 * Applies {@link PolicyUpdate}s and parses their CLI spellings ({@code openshell policy update N
 * ...}).
 *
 * <p>Spellings (an IPv6 host is always written in brackets, {@code [2001:db8::1]:443}; names are
 * lower-cased, a trailing dot dropped, IDNs converted to punycode):
 *
 * <ul>
 *   <li>{@code --add-endpoint HOST:PORT[:ACCESS[:PROTOCOL]]} with ACCESS one of {@code
 *       read-only}, {@code read-write}, {@code full} and PROTOCOL {@code rest} or {@code l4}. An
 *       access implies {@code rest}; {@code HOST:PORT:rest} alone means {@code rest} with the
 *       default access {@code full} for a new endpoint. Examples: {@code api.github.com:443},
 *       {@code api.github.com:443:read-only}, {@code api.github.com:443:read-only:rest}, {@code
 *       [::1]:8080:rest}.
 *   <li>{@code --remove-endpoint HOST:PORT}.
 *   <li>{@code --add-allow 'HOST:PORT METHOD [PATH]'} or {@code --add-allow
 *       HOST:PORT:METHOD[:PATH]} (the first form is what policy decisions suggest; everything after
 *       the method's colon is the path, so paths may contain colons). METHOD is an HTTP method or
 *       {@code *} (upper-cased); PATH a glob starting with {@code /}, default {@code /**}. Needs
 *       {@code --binary}. Example: {@code --add-allow 'api.github.com:443 POST /repos/**'}.
 *   <li>{@code --add-deny} with the same spelling; {@code --binary} optional (without it the rule
 *       goes to every rest endpoint for HOST:PORT).
 * </ul>
 *
 * <p>Semantics of each operation are on the {@link PolicyUpdate} records. Adding is idempotent
 * (applying the same operation twice gives the same policy as once); removing what is not there
 * is an error.
 */
public final class PolicyUpdates {

    /** Error code for an update spec or operation that cannot be applied ({@link PolicyUpdate#INVALID}). */
    public static final String INVALID = PolicyUpdate.INVALID;

    private PolicyUpdates() {}

    /**
     * Applies the operations in order and validates the result whole; on any error nothing is
     * applied and a {@link PolicyException} with code {@link #INVALID} (or a {@link
     * PolicyValidationException}) explains why. Only {@code network_policies} change.
     */
    public static Policy apply(Policy policy, List<PolicyUpdate> updates) {
        Objects.requireNonNull(policy, "policy");
        NetworkPoliciesDraft draft = new NetworkPoliciesDraft(policy.networkPolicies());
        for (PolicyUpdate update : updates) {
            draft.apply(update);
        }
        Policy updated = policy.withNetworkPolicies(draft.result());
        PolicyParser.validate(updated);
        return updated;
    }

    /**
     * Parses {@code HOST:PORT[:ACCESS[:PROTOCOL]]} (e.g. {@code api.github.com:443:read-only:rest}).
     *
     * @param policyKey the network policy to add to, or null for the derived {@code
     *     allow_HOST_PORT}
     * @param binaries binaries to add to that policy (blank entries and duplicates are dropped)
     */
    public static PolicyUpdate.AddEndpoint parseAddEndpoint(String spec, String policyKey, List<String> binaries) {
        return UpdateSpecs.addEndpoint(spec, policyKey, binaries);
    }

    /** Parses {@code HOST:PORT} for {@code --remove-endpoint}. */
    public static PolicyUpdate.RemoveEndpoint parseRemoveEndpoint(String spec) {
        return UpdateSpecs.removeEndpoint(spec);
    }

    /** Parses {@code 'HOST:PORT METHOD [PATH]'} or {@code HOST:PORT:METHOD[:PATH]}; binary required. */
    public static PolicyUpdate.AddAllow parseAddAllow(String spec, String binary) {
        return UpdateSpecs.addAllow(spec, binary);
    }

    /** Parses {@code 'HOST:PORT METHOD [PATH]'} or {@code HOST:PORT:METHOD[:PATH]}; binary may be null. */
    public static PolicyUpdate.AddDeny parseAddDeny(String spec, String binary) {
        return UpdateSpecs.addDeny(spec, binary);
    }

    /** The policy key used when {@code --add-endpoint} names none: {@code allow_api_github_com_443}. */
    public static String derivedKey(String host, int port) {
        return NetworkPoliciesDraft.derivedKey(host, port);
    }
}
