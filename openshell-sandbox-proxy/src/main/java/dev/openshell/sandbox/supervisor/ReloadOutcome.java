package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.json.SandboxJson;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The result of a policy reload on a running sandbox.
 *
 * @param loaded whether the new policy is now enforced
 * @param generation the generation enforced afterwards
 * @param error why it was rejected (a static change lists every changed path), or null
 * @param closedConnections tunnels closed because the new policy no longer admits them
 */
public record ReloadOutcome(boolean loaded, long generation, String error, int closedConnections) {

    static ReloadOutcome failed(long generation, String error) {
        return new ReloadOutcome(false, generation, error, 0);
    }

    /** The control socket's reply: {@code ok}, {@code result}, {@code generation}, {@code error}, {@code closed_connections}. */
    String toJson() {
        return SandboxJson.mapper()
                .writeValueAsString(
                        new Reply(loaded, loaded ? "loaded" : "failed", generation, error, closedConnections));
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    private record Reply(boolean ok, String result, long generation, String error, int closedConnections) {}
}
