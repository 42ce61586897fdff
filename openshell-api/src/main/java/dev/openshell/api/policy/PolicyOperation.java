package dev.openshell.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One merge operation of a policy update ({@code openshell policy update}); on the wire an object
 * whose {@code op} names the kind: {@code add_endpoint}, {@code remove_endpoint}, {@code
 * add_allow}, {@code add_deny}. Only {@code network_policies} change. Hosts are checked here only
 * for shape; the policy engine judges them in full when it applies the update.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PolicyOperation.AddEndpoint.class, name = "add_endpoint"),
    @JsonSubTypes.Type(value = PolicyOperation.RemoveEndpoint.class, name = "remove_endpoint"),
    @JsonSubTypes.Type(value = PolicyOperation.AddAllow.class, name = "add_allow"),
    @JsonSubTypes.Type(value = PolicyOperation.AddDeny.class, name = "add_deny")
})
public sealed interface PolicyOperation {

    int MAX_HOST = 253;
    int MAX_PATH = 4096;

    String host();

    int port();

    /** Adds a violation per invalid field, under {@code field} ({@code operations[0]}). */
    void validate(Violations v, String field);

    /**
     * Adds an endpoint for some binaries to network policy {@code policy_key} (absent: derived from
     * host and port, {@code allow_api_github_com_443}); merges into an existing policy of that key.
     *
     * @param access for {@code rest}: the preset; absent: {@code full} for a new endpoint
     * @param protocol absent: {@code rest} when {@code access} is given, else {@code l4}
     * @param binaries binary paths or globs; required when the policy is new
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AddEndpoint(
            String policyKey,
            String host,
            int port,
            EndpointAccess access,
            EndpointProtocol protocol,
            List<String> binaries)
            implements PolicyOperation {
        public AddEndpoint {
            binaries = TextRules.copyOf("binaries", binaries);
        }

        @Override
        public void validate(Violations v, String field) {
            Shapes.hostPort(v, field, host, port);
            if (policyKey != null) {
                TextRules.checkLine(v, field + ".policy_key", policyKey, 128);
            }
            if (access != null && protocol == EndpointProtocol.L4) {
                v.add(field + ".access", "an access preset needs protocol rest");
            }
            for (int i = 0; i < binaries.size(); i++) {
                Shapes.binary(v, field + ".binaries[" + i + "]", binaries.get(i));
            }
        }
    }

    /** Removes {@code host:port} from every endpoint; removing what is not there is an error. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RemoveEndpoint(String host, int port) implements PolicyOperation {
        @Override
        public void validate(Violations v, String field) {
            Shapes.hostPort(v, field, host, port);
        }
    }

    /**
     * Adds an allow rule to the REST endpoint {@code host:port} for {@code binary}.
     *
     * @param method an upper-case HTTP method or {@code *}
     * @param path a path glob starting with {@code /}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AddAllow(String host, int port, String binary, String method, String path) implements PolicyOperation {
        @Override
        public void validate(Violations v, String field) {
            Shapes.hostPort(v, field, host, port);
            if (binary == null) {
                v.add(field + ".binary", "is required for an allow rule");
            } else {
                Shapes.binary(v, field + ".binary", binary);
            }
            Shapes.rule(v, field, method, path);
        }
    }

    /** Adds a deny rule to the REST endpoints {@code host:port} for {@code binary}, or for all binaries when absent. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AddDeny(String host, int port, String binary, String method, String path) implements PolicyOperation {
        @Override
        public void validate(Violations v, String field) {
            Shapes.hostPort(v, field, host, port);
            if (binary != null) {
                Shapes.binary(v, field + ".binary", binary);
            }
            Shapes.rule(v, field, method, path);
        }
    }
}
