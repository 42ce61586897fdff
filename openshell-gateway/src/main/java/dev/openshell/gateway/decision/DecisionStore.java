package dev.openshell.gateway.decision;

import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.decision.Verdict;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.db.Json;
import dev.openshell.gateway.sandbox.SandboxDeleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The decision log the gateway keeps: sandboxes' proxy decisions appended in batches (by their
 * supervisors), queried newest first, at most {@code decisions-per-sandbox} kept per sandbox (the
 * oldest dropped), dropped with the sandbox.
 */
@Component
public class DecisionStore {

    /** A filter, already resolved to a sandbox id. */
    record Filter(String sandboxId, Verdict verdict, Instant since, String binary, String host) {}

    private final JdbcClient db;
    private final int keep;
    private final Clock clock;
    private final Map<Verdict, Counter> counters = new EnumMap<>(Verdict.class);

    DecisionStore(JdbcClient db, GatewayProperties properties, Clock clock, MeterRegistry meters) {
        this.db = db;
        this.keep = properties.limits().decisionsPerSandbox();
        this.clock = clock;
        for (Verdict v : Verdict.values()) {
            counters.put(
                    v,
                    Counter.builder("openshell.decisions")
                            .description("proxy decisions received from sandboxes")
                            .tag("verdict", v.wire())
                            .register(meters));
        }
    }

    public void append(String sandboxId, List<DecisionRecord> records) {
        for (DecisionRecord given : records) {
            // The supervisor's word for which sandbox it is does not count: the path's sandbox does.
            DecisionRecord r = new DecisionRecord(
                    given.time(),
                    sandboxId,
                    given.binary(),
                    given.pid(),
                    given.ancestors(),
                    given.host(),
                    given.port(),
                    given.method(),
                    given.path(),
                    given.verdict(),
                    given.layer(),
                    given.policy(),
                    given.rule(),
                    given.reason(),
                    given.policyRevision(),
                    given.latencyUs(),
                    given.mode());
            Instant at = r.time() != null ? r.time() : clock.instant();
            Verdict verdict = r.verdict() != null ? r.verdict() : Verdict.DENY;
            db.sql("""
                    INSERT INTO decisions (sandbox_id, at_ms, verdict, binary_path, host, record) VALUES (?, ?, ?, ?, ?, ?)""")
                    .params(sandboxId, at.toEpochMilli(), verdict.wire(), r.binary(), r.host(), Json.write(r))
                    .update();
            counters.get(verdict).increment();
        }
        trim(sandboxId);
    }

    private void trim(String sandboxId) {
        db.sql("""
                DELETE FROM decisions WHERE sandbox_id = ? AND id <= (
                    SELECT id FROM decisions WHERE sandbox_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)""").params(sandboxId, sandboxId, keep).update();
    }

    /** Decisions matching {@code filter} with an id below {@code beforeId} (null: newest), newest first. */
    List<Map.Entry<Long, DecisionRecord>> page(Filter filter, Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, record FROM decisions WHERE id < ?");
        List<Object> params = new ArrayList<>();
        params.add(beforeId == null ? Long.MAX_VALUE : beforeId);
        if (filter.sandboxId() != null) {
            sql.append(" AND sandbox_id = ?");
            params.add(filter.sandboxId());
        }
        if (filter.verdict() != null) {
            sql.append(" AND verdict = ?");
            params.add(filter.verdict().wire());
        }
        if (filter.since() != null) {
            sql.append(" AND at_ms >= ?");
            params.add(filter.since().toEpochMilli());
        }
        if (filter.binary() != null) {
            sql.append(" AND binary_path = ?");
            params.add(filter.binary());
        }
        if (filter.host() != null) {
            sql.append(" AND host = ?");
            params.add(filter.host());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(limit);
        return db.sql(sql.toString())
                .params(params)
                .query((rs, row) ->
                        Map.entry(rs.getLong("id"), Json.read(rs.getString("record"), DecisionRecord.class)))
                .list();
    }

    @EventListener
    void onDeleted(SandboxDeleted deleted) {
        db.sql("DELETE FROM decisions WHERE sandbox_id = ?")
                .param(deleted.sandboxId())
                .update();
    }
}
