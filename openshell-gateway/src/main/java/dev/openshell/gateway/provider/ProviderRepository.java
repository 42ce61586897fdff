package dev.openshell.gateway.provider;

import dev.openshell.api.provider.Provider;
import dev.openshell.api.provider.ProviderProtocol;
import dev.openshell.gateway.db.Json;
import dev.openshell.gateway.db.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

@Repository
class ProviderRepository {

    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

    /** A row: the read shape and the sealed credentials. */
    record Row(Provider provider, String credentialsSealed) {}

    private final JdbcClient db;

    ProviderRepository(JdbcClient db) {
        this.db = db;
    }

    boolean insert(Provider p, String sealed) {
        return db.sql("""
                INSERT INTO providers (name, type, base_url, protocol, credential_keys, credentials_sealed, created_at,
                    updated_at, resource_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING""")
                        .params(
                                p.name(),
                                p.type(),
                                p.baseUrl(),
                                p.protocol() == null ? null : p.protocol().wire(),
                                Json.write(p.credentialKeys()),
                                sealed,
                                Times.millis(p.createdAt()),
                                Times.millis(p.updatedAt()))
                        .update()
                == 1;
    }

    /** Replaces the row if it still has {@code expectedVersion}. */
    boolean replace(Provider p, String sealed, long expectedVersion, Instant now) {
        return db.sql("""
                UPDATE providers SET type = ?, base_url = ?, protocol = ?, credential_keys = ?, credentials_sealed = ?,
                    updated_at = ?, resource_version = ? WHERE name = ? AND resource_version = ?""")
                        .params(
                                p.type(),
                                p.baseUrl(),
                                p.protocol() == null ? null : p.protocol().wire(),
                                Json.write(p.credentialKeys()),
                                sealed,
                                now.toEpochMilli(),
                                expectedVersion + 1,
                                p.name(),
                                expectedVersion)
                        .update()
                == 1;
    }

    Optional<Row> byName(String name) {
        return db.sql("SELECT * FROM providers WHERE name = ?")
                .param(name)
                .query(this::map)
                .optional();
    }

    List<Row> page(String afterName, int limit) {
        return db.sql("SELECT * FROM providers WHERE name > ? ORDER BY name LIMIT ?")
                .params(afterName == null ? "" : afterName, limit)
                .query(this::map)
                .list();
    }

    boolean delete(String name) {
        return db.sql("DELETE FROM providers WHERE name = ?").param(name).update() == 1;
    }

    private Row map(ResultSet rs, int row) throws SQLException {
        String protocol = rs.getString("protocol");
        return new Row(
                new Provider(
                        rs.getString("name"),
                        rs.getString("type"),
                        rs.getString("base_url"),
                        protocol == null
                                ? null
                                : Arrays.stream(ProviderProtocol.values())
                                        .filter(x -> x.wire().equals(protocol))
                                        .findFirst()
                                        .orElse(null),
                        Json.read(rs.getString("credential_keys"), LIST),
                        Times.instant(rs, "created_at"),
                        Times.instant(rs, "updated_at"),
                        Long.toString(rs.getLong("resource_version"))),
                rs.getString("credentials_sealed"));
    }
}
