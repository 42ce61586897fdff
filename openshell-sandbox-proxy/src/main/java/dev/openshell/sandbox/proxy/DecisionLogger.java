package dev.openshell.sandbox.proxy;

import dev.openshell.policy.Decision;
import dev.openshell.policy.Verdict;
import dev.openshell.sandbox.proxy.log.DecisionRecord;
import dev.openshell.sandbox.proxy.log.DecisionSink;
import dev.openshell.sandbox.proxy.log.QueryRedaction;
import java.time.Instant;

/** Turns each decision into a {@link DecisionRecord} for the sink; a failing sink never fails traffic. */
public final class DecisionLogger {

    private final String sandboxId;
    private final DecisionSink sink;
    private final String mode;

    public DecisionLogger(String sandboxId, DecisionSink sink) {
        this(sandboxId, sink, null);
    }

    private DecisionLogger(String sandboxId, DecisionSink sink, String mode) {
        this.sandboxId = sandboxId;
        this.sink = sink;
        this.mode = mode;
    }

    /** A logger to the same sink whose records carry {@code mode} (e.g. {@code transparent}). */
    public DecisionLogger withMode(String mode) {
        return new DecisionLogger(sandboxId, sink, mode);
    }

    /**
     * Logs one decision.
     *
     * @param target the request target (query values are redacted here), or {@code null} at L4
     * @param startNanos {@link System#nanoTime()} when the request (or connection) arrived
     */
    public void log(
            String binary,
            int pid,
            String host,
            int port,
            String method,
            String target,
            Decision decision,
            long generation,
            long startNanos) {
        long micros = (System.nanoTime() - startNanos) / 1000;
        DecisionRecord record = new DecisionRecord(
                Instant.now(),
                sandboxId,
                binary,
                pid,
                host,
                port,
                method,
                QueryRedaction.redactQuery(target),
                verdict(decision.verdict()),
                decision.layer().wire(),
                decision.policy().orElse(null),
                decision.rule().orElse(null),
                decision.reason(),
                generation,
                micros,
                mode);
        try {
            sink.accept(record);
        } catch (RuntimeException e) {
            // The log is best effort from the proxy's point of view; the sink reports its own failures.
        }
    }

    static String verdict(Verdict v) {
        return switch (v) {
            case ALLOW -> "allow";
            case DENY -> "deny";
            case AUDIT_ALLOW -> "audit";
        };
    }
}
