package dev.openshell.sandbox.supervisor;

import java.util.LinkedHashMap;
import java.util.Map;

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

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", loaded);
        m.put("result", loaded ? "loaded" : "failed");
        m.put("generation", generation);
        m.put("error", error);
        m.put("closed_connections", closedConnections);
        return Json.write(m);
    }
}
