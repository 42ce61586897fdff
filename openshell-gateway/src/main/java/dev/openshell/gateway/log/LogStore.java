package dev.openshell.gateway.log;

import dev.openshell.api.sandbox.LogLine;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.db.Json;
import dev.openshell.gateway.sandbox.SandboxDeleted;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sandbox log lines (agent output, supervisor, proxy, gateway), appended in batches, read oldest
 * first, at most {@code log-lines-per-sandbox} kept per sandbox, dropped with the sandbox. Readers
 * following a log are woken when lines arrive.
 */
@Component
public class LogStore {

    /** A filter; {@code source} null for every source. */
    record Filter(String sandboxId, Instant since, LogLine.Source source) {}

    private final JdbcClient db;
    private final int keep;
    private final Clock clock;
    private final Object arrivals = new Object();

    LogStore(JdbcClient db, GatewayProperties properties, Clock clock) {
        this.db = db;
        this.keep = properties.limits().logLinesPerSandbox();
        this.clock = clock;
    }

    public void append(String sandboxId, List<LogLine> lines) {
        for (LogLine line : lines) {
            LogLine stamped = line.time() != null
                    ? line
                    : new LogLine(clock.instant(), line.source(), line.stream(), line.text());
            LogLine.Source source = stamped.source() != null ? stamped.source() : LogLine.Source.AGENT;
            db.sql("INSERT INTO log_lines (sandbox_id, at_ms, source, line) VALUES (?, ?, ?, ?)")
                    .params(sandboxId, stamped.time().toEpochMilli(), source.wire(), Json.write(stamped))
                    .update();
        }
        db.sql("""
                DELETE FROM log_lines WHERE sandbox_id = ? AND id <= (
                    SELECT id FROM log_lines WHERE sandbox_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)""").params(sandboxId, sandboxId, keep).update();
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
    }

    /** Lines after id {@code afterId} (null: from the oldest), oldest first. */
    List<Map.Entry<Long, LogLine>> page(Filter filter, Long afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, line FROM log_lines WHERE sandbox_id = ? AND id > ?");
        List<Object> params = new ArrayList<>(List.of(filter.sandboxId(), afterId == null ? 0L : afterId));
        if (filter.since() != null) {
            sql.append(" AND at_ms >= ?");
            params.add(filter.since().toEpochMilli());
        }
        if (filter.source() != null) {
            sql.append(" AND source = ?");
            params.add(filter.source().wire());
        }
        sql.append(" ORDER BY id LIMIT ?");
        params.add(limit);
        return db.sql(sql.toString())
                .params(params)
                .query((rs, row) -> Map.entry(rs.getLong("id"), Json.read(rs.getString("line"), LogLine.class)))
                .list();
    }

    /** Waits up to {@code millis} for new lines of any sandbox. */
    void awaitLines(long millis) throws InterruptedException {
        synchronized (arrivals) {
            arrivals.wait(millis);
        }
    }

    @EventListener
    void onDeleted(SandboxDeleted deleted) {
        db.sql("DELETE FROM log_lines WHERE sandbox_id = ?")
                .param(deleted.sandboxId())
                .update();
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
    }
}
