package dev.openshell.gateway.log;

import dev.openshell.api.json.ApiJson;
import dev.openshell.api.sandbox.LogLine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams a sandbox's log as Server-Sent Events on a virtual thread per follower: the lines there
 * are, then each new one as it is appended, until the client goes away or the sandbox is deleted.
 */
@Component
class LogFollower {

    private static final int BATCH = 500;
    private static final long HEARTBEAT_NANOS = 15_000_000_000L;

    private final LogStore logs;
    private final JdbcClient db;
    private final ExecutorService followers = Executors.newVirtualThreadPerTaskExecutor();

    LogFollower(LogStore logs, JdbcClient db) {
        this.logs = logs;
        this.db = db;
    }

    SseEmitter follow(LogStore.Filter filter, boolean follow) {
        SseEmitter emitter = new SseEmitter(0L);
        followers.submit(() -> {
            long after = 0;
            long lastSent = System.nanoTime();
            try {
                // A comment first, so the answer's head reaches the client before any line does.
                emitter.send(SseEmitter.event().comment("following"));
                while (true) {
                    List<Map.Entry<Long, LogLine>> rows = logs.page(filter, after, BATCH);
                    for (Map.Entry<Long, LogLine> row : rows) {
                        emitter.send(SseEmitter.event()
                                .id(Long.toString(row.getKey()))
                                .name("line")
                                .data(ApiJson.strict().writeValueAsString(row.getValue()), MediaType.APPLICATION_JSON));
                        after = row.getKey();
                    }
                    if (rows.size() == BATCH) {
                        continue;
                    }
                    if (!follow || !sandboxExists(filter.sandboxId())) {
                        break;
                    }
                    if (rows.isEmpty() && System.nanoTime() - lastSent > HEARTBEAT_NANOS) {
                        // A client that went away is only noticed on a write: a quiet log must not
                        // keep its follower alive forever.
                        emitter.send(SseEmitter.event().comment("alive"));
                        lastSent = System.nanoTime();
                    } else if (!rows.isEmpty()) {
                        lastSent = System.nanoTime();
                    }
                    logs.awaitLines(1000);
                }
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e); // the client went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            }
        });
        return emitter;
    }

    private boolean sandboxExists(String id) {
        return db.sql("SELECT COUNT(*) FROM sandboxes WHERE id = ?")
                        .param(id)
                        .query(Long.class)
                        .single()
                > 0;
    }
}
