package dev.openshell.sandbox.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.openshell.api.sandbox.ResourceLimits;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One request on a sandbox host's control socket (one JSON line; the gateway's local driver is the
 * only client). The socket is root's alone (0600 in a 0700 directory).
 *
 * @param op what to do
 * @param sandboxId for {@code stop} and {@code delete}
 * @param sandbox for {@code create} and {@code start}
 * @param gatewayUrl for {@code gateway}: where sessions connect ({@code https://127.0.0.1:8443})
 * @param gatewayCa for {@code gateway}: the PEM of the CA that issued the gateway's certificate
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostRequest(Op op, String sandboxId, Sandbox sandbox, String gatewayUrl, String gatewayCa) {

    /** The operations. */
    public enum Op {
        GATEWAY,
        CREATE,
        START,
        STOP,
        DELETE,
        LIST,
        SHUTDOWN;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What a sandbox runs (the gateway's record, opened).
     *
     * @param name the sandbox's name (its session's path names it)
     * @param policy the canonical policy YAML of revision {@code policyRevision}
     * @param supervisorToken the session's credential; kept in memory only
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sandbox(
            String id,
            String name,
            List<String> command,
            Map<String, String> env,
            String policy,
            long policyRevision,
            ResourceLimits resources,
            String supervisorToken) {

        public Sandbox {
            command = command == null ? List.of() : List.copyOf(command);
            env = env == null ? Map.of() : Map.copyOf(env);
        }

        /** Secrets left out. */
        @Override
        public String toString() {
            return "Sandbox[" + id + " " + name + ", command=" + command + ", env=" + env.keySet() + ", revision="
                    + policyRevision + "]";
        }
    }
}
