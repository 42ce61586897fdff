package dev.openshell.gateway.token;

import dev.openshell.api.auth.Scope;
import dev.openshell.gateway.db.Json;
import dev.openshell.gateway.db.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;

@Repository
class TokenRepository {

    private static final TypeReference<List<Scope>> SCOPES = new TypeReference<>() {};

    private final JdbcClient db;

    TokenRepository(JdbcClient db) {
        this.db = db;
    }

    void insert(TokenRecord t) {
        db.sql("""
                INSERT INTO api_tokens (id, name, scopes, secret_hash, sandbox_id, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(
                        t.id(),
                        t.name(),
                        Json.write(t.scopes()),
                        t.secretHash(),
                        t.sandboxId(),
                        Times.millis(t.createdAt()),
                        Times.millis(t.expiresAt()))
                .update();
    }

    Optional<TokenRecord> byHash(String hash) {
        return db.sql("SELECT * FROM api_tokens WHERE secret_hash = ?")
                .param(hash)
                .query(this::map)
                .optional();
    }

    Optional<TokenRecord> byId(String id) {
        return db.sql("SELECT * FROM api_tokens WHERE id = ? AND sandbox_id IS NULL")
                .param(id)
                .query(this::map)
                .optional();
    }

    /** API tokens (not supervisor tokens) after {@code afterId}, by id. */
    List<TokenRecord> page(String afterId, int limit) {
        return db.sql("SELECT * FROM api_tokens WHERE sandbox_id IS NULL AND id > ? ORDER BY id LIMIT ?")
                .params(afterId == null ? "" : afterId, limit)
                .query(this::map)
                .list();
    }

    void touch(String id, Instant at) {
        db.sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
                .params(at.toEpochMilli(), id)
                .update();
    }

    boolean revoke(String id, Instant at) {
        return db.sql("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND sandbox_id IS NULL")
                        .params(at.toEpochMilli(), id)
                        .update()
                > 0;
    }

    void deleteForSandbox(String sandboxId) {
        db.sql("DELETE FROM api_tokens WHERE sandbox_id = ?").param(sandboxId).update();
    }

    private TokenRecord map(ResultSet rs, int row) throws SQLException {
        return new TokenRecord(
                rs.getString("id"),
                rs.getString("name"),
                Json.read(rs.getString("scopes"), SCOPES),
                rs.getString("secret_hash"),
                rs.getString("sandbox_id"),
                Times.instant(rs, "created_at"),
                Times.instant(rs, "expires_at"),
                Times.instant(rs, "last_used_at"),
                Times.instant(rs, "revoked_at"));
    }
}
