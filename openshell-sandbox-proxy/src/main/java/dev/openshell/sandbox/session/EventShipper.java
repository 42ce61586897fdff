package dev.openshell.sandbox.session;

import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.session.SessionMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Ships a sandbox's log lines and decisions to the gateway in batches: supervisor events as the
 * supervisor logs them ({@link #supervisorEvent}: a queue append, so the teardown's last words are
 * kept even though the state directory goes with the sandbox); the agent's output and the proxy's
 * decisions by following the sandbox log and the decision log the supervisor writes anyway (so the
 * proxy's hot path gains nothing). What arrived is sent every {@link #FLUSH} as one {@link
 * SessionMessage.Logs} and one {@link SessionMessage.Decisions} frame. While the session is down it keeps the newest {@link #MAX_KEPT}
 * of each and sends them once it is up again.
 */
final class EventShipper implements AutoCloseable {

    static final Duration FLUSH = Duration.ofMillis(200);
    static final Duration POLL = Duration.ofMillis(100);
    static final int MAX_KEPT = 10_000;
    static final int MAX_BATCH = 1_000;

    private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
    private final ArrayDeque<DecisionRecord> decisions = new ArrayDeque<>();
    private final Predicate<SessionMessage> send;
    private final LongUnaryOperator revisionOfGeneration;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param send sends a frame; false when the session is down
     * @param revisionOfGeneration the gateway's revision number for a supervisor policy generation
     */
    EventShipper(Predicate<SessionMessage> send, LongUnaryOperator revisionOfGeneration) {
        this.send = send;
        this.revisionOfGeneration = revisionOfGeneration;
    }

    /** One supervisor event, as it is logged (called on the logging thread: only queues it). */
    void supervisorEvent(String text) {
        LogLine line = new LogLine(Instant.now(), LogLine.Source.SUPERVISOR, null, text);
        synchronized (lines) {
            keep(lines, line);
        }
    }

    /** Starts following the agent's output and the decisions, and sending. */
    void start(Path sandboxLog, Path decisionLog) {
        threads.add(
                Thread.ofVirtual().start(() -> LineFollower.follow(sandboxLog, POLL, this::logLine, () -> running)));
        threads.add(Thread.ofVirtual()
                .start(() -> LineFollower.follow(decisionLog, POLL, this::decisionLine, () -> running)));
        threads.add(Thread.ofVirtual().start(this::flushLoop));
    }

    private void logLine(String json) {
        try {
            JsonNode node = ApiJson.lenient().readTree(json);
            String stream = node.path("stream").asString("supervisor");
            Instant ts = Instant.parse(node.path("ts").asString());
            LogLine line = switch (stream) {
                case "supervisor" -> null; // came through supervisorEvent already
                case "stdout" ->
                    new LogLine(
                            ts,
                            LogLine.Source.AGENT,
                            LogLine.Stream.STDOUT,
                            node.path("text").asString(""));
                case "stderr" ->
                    new LogLine(
                            ts,
                            LogLine.Source.AGENT,
                            LogLine.Stream.STDERR,
                            node.path("text").asString(""));
                default ->
                    new LogLine(
                            ts,
                            LogLine.Source.SUPERVISOR,
                            null,
                            node.path("text").asString(""));
            };
            synchronized (lines) {
                keep(lines, line);
            }
        } catch (RuntimeException e) {
            // a line cut by a rotation or a crash: skip it
        }
    }

    private void decisionLine(String json) {
        try {
            DecisionRecord r = ApiJson.lenient().readValue(json, DecisionRecord.class);
            DecisionRecord mapped = new DecisionRecord(
                    r.time(),
                    r.sandbox(),
                    r.binary(),
                    r.pid(),
                    r.ancestors(),
                    r.host(),
                    r.port(),
                    r.method(),
                    r.path(),
                    r.verdict(),
                    r.layer(),
                    r.policy(),
                    r.rule(),
                    r.reason(),
                    revisionOfGeneration.applyAsLong(r.policyRevision()),
                    r.latencyUs(),
                    r.mode());
            synchronized (decisions) {
                keep(decisions, mapped);
            }
        } catch (RuntimeException e) {
            // a line cut by a rotation or a crash: skip it
        }
    }

    private static <T> void keep(ArrayDeque<T> queue, T item) {
        if (queue.size() >= MAX_KEPT) {
            queue.pollFirst();
        }
        queue.addLast(item);
    }

    private void flushLoop() {
        while (running) {
            try {
                Thread.sleep(FLUSH);
            } catch (InterruptedException e) {
                break;
            }
            flush();
        }
        flush();
    }

    /** Sends what is queued; what the session could not take stays queued. */
    void flush() {
        List<LogLine> l = take(lines);
        if (!l.isEmpty() && !send.test(new SessionMessage.Logs(l))) {
            putBack(lines, l);
        }
        List<DecisionRecord> d = take(decisions);
        if (!d.isEmpty() && !send.test(new SessionMessage.Decisions(d))) {
            putBack(decisions, d);
        }
    }

    private static <T> List<T> take(ArrayDeque<T> queue) {
        synchronized (queue) {
            List<T> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
            while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(queue.pollFirst());
            }
            return batch;
        }
    }

    private static <T> void putBack(ArrayDeque<T> queue, List<T> batch) {
        synchronized (queue) {
            for (int i = batch.size() - 1; i >= 0 && queue.size() < MAX_KEPT; i--) {
                queue.addFirst(batch.get(i));
            }
        }
    }

    @Override
    public void close() {
        if (threads.isEmpty()) {
            flush(); // never started: send what the supervisor said before it failed
            return;
        }
        running = false;
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
