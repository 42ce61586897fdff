package dev.openshell.gateway.sandbox;

import dev.openshell.api.SafeText;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.gateway.db.Times;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A sandbox's policy revisions: 1, 2, 3... each {@code pending} until the sandbox acks it {@code
 * loaded} (older ones become {@code superseded}) or {@code failed} (the previous one stays in
 * force). Waiters for an ack are woken at once ({@link #awaitSettled}).
 */
@Component
public class RevisionStore {

    private final JdbcClient db;
    private final Clock clock;
    private final Timer propagation;
    private final Object acks = new Object();

    RevisionStore(JdbcClient db, Clock clock, MeterRegistry meters) {
        this.db = db;
        this.clock = clock;
        this.propagation = Timer.builder("openshell.policy.propagation")
                .description("time from a policy revision's creation to the sandbox's load ack")
                .publishPercentileHistogram()
                .register(meters);
    }

    public static String hash(String canonicalYaml) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256")
                                    .digest(canonicalYaml.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds revision {@code number} as pending. */
    public PolicyRevision insert(String sandboxId, long number, String canonicalYaml) {
        Instant now = clock.instant();
        String hash = hash(canonicalYaml);
        db.sql("""
                INSERT INTO policy_revisions (sandbox_id, number, status, hash, policy, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(sandboxId, number, RevisionStatus.PENDING.wire(), hash, canonicalYaml, now.toEpochMilli())
                .update();
        return new PolicyRevision(number, RevisionStatus.PENDING, null, hash, now, null, canonicalYaml);
    }

    public Optional<PolicyRevision> newest(String sandboxId) {
        return db.sql("SELECT * FROM policy_revisions WHERE sandbox_id = ? ORDER BY number DESC LIMIT 1")
                .param(sandboxId)
                .query(this::map)
                .optional();
    }

    /** The revision in force: the newest loaded one, or the newest when none has loaded yet. */
    public Optional<PolicyRevision> active(String sandboxId) {
        return db.sql("""
                SELECT * FROM policy_revisions WHERE sandbox_id = ? AND status = ? ORDER BY number DESC LIMIT 1""")
                .params(sandboxId, RevisionStatus.LOADED.wire())
                .query(this::map)
                .optional()
                .or(() -> newest(sandboxId));
    }

    public Optional<PolicyRevision> get(String sandboxId, long number) {
        return db.sql("SELECT * FROM policy_revisions WHERE sandbox_id = ? AND number = ?")
                .params(sandboxId, number)
                .query(this::map)
                .optional();
    }

    /** Revisions newest first, below {@code beforeNumber} (null: from the newest). */
    public List<PolicyRevision> page(String sandboxId, Long beforeNumber, int limit) {
        return db.sql("""
                SELECT * FROM policy_revisions WHERE sandbox_id = ? AND number < ? ORDER BY number DESC LIMIT ?""")
                .params(sandboxId, beforeNumber == null ? Long.MAX_VALUE : beforeNumber, limit)
                .query(this::map)
                .list();
    }

    /** Marks a pending revision loaded and everything older superseded; false if it was not pending. */
    public boolean markLoaded(String sandboxId, long number) {
        Instant now = clock.instant();
        int n = db.sql("""
                UPDATE policy_revisions SET status = ?, loaded_at = ?, error = NULL
                WHERE sandbox_id = ? AND number = ? AND status = ?""")
                .params(
                        RevisionStatus.LOADED.wire(),
                        now.toEpochMilli(),
                        sandboxId,
                        number,
                        RevisionStatus.PENDING.wire())
                .update();
        if (n == 1) {
            db.sql("""
                    UPDATE policy_revisions SET status = ? WHERE sandbox_id = ? AND number < ? AND status IN (?, ?)""")
                    .params(
                            RevisionStatus.SUPERSEDED.wire(),
                            sandboxId,
                            number,
                            RevisionStatus.LOADED.wire(),
                            RevisionStatus.PENDING.wire())
                    .update();
            get(sandboxId, number).ifPresent(r -> propagation.record(Duration.between(r.createdAt(), now)));
        }
        wake();
        return n == 1;
    }

    /** Marks a pending revision failed with the sandbox's error. */
    public boolean markFailed(String sandboxId, long number, String error) {
        int n = db.sql("""
                UPDATE policy_revisions SET status = ?, error = ? WHERE sandbox_id = ? AND number = ? AND status = ?""")
                .params(
                        RevisionStatus.FAILED.wire(),
                        SafeText.oneLine(error == null ? "rejected" : error, 2000),
                        sandboxId,
                        number,
                        RevisionStatus.PENDING.wire())
                .update();
        wake();
        return n == 1;
    }

    void deleteAll(String sandboxId) {
        db.sql("DELETE FROM policy_revisions WHERE sandbox_id = ?")
                .param(sandboxId)
                .update();
    }

    /** Waits until revision {@code number} is no longer pending, or {@code timeout} passes; returns it as it is then. */
    public Optional<PolicyRevision> awaitSettled(String sandboxId, long number, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<PolicyRevision> revision = get(sandboxId, number);
            long left = deadline - System.nanoTime();
            if (revision.isEmpty() || revision.get().status().isSettled() || left <= 0) {
                return revision;
            }
            synchronized (acks) {
                try {
                    // Woken by an ack; the cap re-reads the database for acks from another gateway process.
                    acks.wait(Math.max(1, Math.min(left / 1_000_000, 250)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return get(sandboxId, number);
                }
            }
        }
    }

    private void wake() {
        synchronized (acks) {
            acks.notifyAll();
        }
    }

    private PolicyRevision map(ResultSet rs, int row) throws SQLException {
        String wire = rs.getString("status");
        RevisionStatus status = Arrays.stream(RevisionStatus.values())
                .filter(s -> s.wire().equals(wire))
                .findFirst()
                .orElse(RevisionStatus.FAILED);
        return new PolicyRevision(
                rs.getLong("number"),
                status,
                rs.getString("error"),
                rs.getString("hash"),
                Times.instant(rs, "created_at"),
                Times.instant(rs, "loaded_at"),
                rs.getString("policy"));
    }
}
