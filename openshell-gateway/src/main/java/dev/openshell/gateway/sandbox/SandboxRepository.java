package dev.openshell.gateway.sandbox;

import dev.openshell.api.sandbox.ResourceLimits;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.gateway.db.Json;
import dev.openshell.gateway.db.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

/** Sandbox rows. Every update is conditional on the resource version it read (optimistic locking). */
@Repository
public class SandboxRepository {

    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
    /** Read for every row of a list: a map, not a scan of the enum. */
    private static final Map<String, SandboxPhase> PHASES = Arrays.stream(SandboxPhase.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(SandboxPhase::wire, p -> p));

    private final JdbcClient db;

    SandboxRepository(JdbcClient db) {
        this.db = db;
    }

    /** Inserts; false when the name is taken. */
    boolean insert(SandboxRecord s) {
        return db.sql("""
                INSERT INTO sandboxes (id, name, phase, reason, exit_code, labels, image, command, env_sealed, providers,
                    resources, created_at, ready_at, policy_revision, resource_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")
                        .params(
                                s.id(),
                                s.name(),
                                s.phase().wire(),
                                s.reason(),
                                s.exitCode(),
                                Json.write(s.labels()),
                                s.image(),
                                Json.write(s.command()),
                                s.envSealed(),
                                Json.write(s.providers()),
                                s.resources() == null ? null : Json.write(s.resources()),
                                Times.millis(s.createdAt()),
                                Times.millis(s.readyAt()),
                                s.policyRevision(),
                                s.resourceVersion())
                        .update()
                == 1;
    }

    public Optional<SandboxRecord> byName(String name) {
        return db.sql("SELECT * FROM sandboxes WHERE name = ?")
                .param(name)
                .query(this::map)
                .optional();
    }

    public Optional<SandboxRecord> byId(String id) {
        return db.sql("SELECT * FROM sandboxes WHERE id = ?")
                .param(id)
                .query(this::map)
                .optional();
    }

    /** Sandboxes by name after {@code afterName}. */
    List<SandboxRecord> page(String afterName, int limit) {
        return db.sql("SELECT * FROM sandboxes WHERE name > ? ORDER BY name LIMIT ?")
                .params(afterName == null ? "" : afterName, limit)
                .query(this::map)
                .list();
    }

    List<SandboxRecord> all() {
        return db.sql("SELECT * FROM sandboxes ORDER BY name").query(this::map).list();
    }

    /**
     * Writes {@code s} with its resource version plus one, if the row still has {@code s}'s
     * version; returns the written record, or empty when someone else wrote first.
     */
    Optional<SandboxRecord> update(SandboxRecord s) {
        int n = db.sql("""
                UPDATE sandboxes SET phase = ?, reason = ?, exit_code = ?, ready_at = ?, policy_revision = ?,
                    resource_version = ? WHERE id = ? AND resource_version = ?""")
                .params(
                        s.phase().wire(),
                        s.reason(),
                        s.exitCode(),
                        Times.millis(s.readyAt()),
                        s.policyRevision(),
                        s.resourceVersion() + 1,
                        s.id(),
                        s.resourceVersion())
                .update();
        return n == 1 ? byId(s.id()) : Optional.empty();
    }

    void delete(String id) {
        db.sql("DELETE FROM sandboxes WHERE id = ?").param(id).update();
    }

    Map<SandboxPhase, Long> countByPhase() {
        Map<SandboxPhase, Long> counts = new EnumMap<>(SandboxPhase.class);
        Arrays.stream(SandboxPhase.values()).forEach(p -> counts.put(p, 0L));
        db.sql("SELECT phase, COUNT(*) AS n FROM sandboxes GROUP BY phase")
                .query((rs, row) -> Map.entry(rs.getString("phase"), rs.getLong("n")))
                .list()
                .forEach(e -> phase(e.getKey()).ifPresent(p -> counts.put(p, e.getValue())));
        return counts;
    }

    private static Optional<SandboxPhase> phase(String wire) {
        return Optional.ofNullable(wire == null ? null : PHASES.get(wire));
    }

    // Lists are read a thousand rows at a time: the common empty values skip the JSON parser.
    private static Map<String, String> map(String json) {
        return json == null || json.equals("{}") ? Map.of() : Json.read(json, MAP);
    }

    private static List<String> list(String json) {
        return json == null || json.equals("[]") ? List.of() : Json.read(json, LIST);
    }

    private SandboxRecord map(ResultSet rs, int row) throws SQLException {
        String resources = rs.getString("resources");
        return new SandboxRecord(
                rs.getString("id"),
                rs.getString("name"),
                phase(rs.getString("phase")).orElse(SandboxPhase.ERROR),
                rs.getString("reason"),
                Times.nullableInt(rs, "exit_code"),
                map(rs.getString("labels")),
                rs.getString("image"),
                list(rs.getString("command")),
                rs.getString("env_sealed"),
                list(rs.getString("providers")),
                resources == null ? null : Json.read(resources, ResourceLimits.class),
                Times.instant(rs, "created_at"),
                Times.instant(rs, "ready_at"),
                Times.nullableLong(rs, "policy_revision"),
                rs.getLong("resource_version"));
    }
}
