package dev.openshell.sandbox.proxy.shared;

import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Verdict;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
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

    /** Logs one decision; never throws. */
    public void log(DecisionEntry entry) {
        long micros = (System.nanoTime() - entry.startNanos()) / 1000;
        Decision decision = entry.decision();
        CallerIdentity caller = entry.caller().orElse(null);
        DecisionRecord record = new DecisionRecord(
                Instant.now(),
                sandboxId,
                caller == null ? null : caller.binary(),
                caller == null ? 0 : caller.pid(),
                entry.host().orElse(null),
                entry.port(),
                entry.method().orElse(null),
                entry.target().map(QueryRedaction::redactQuery).orElse(null),
                verdict(decision.verdict()),
                decision.layer().wire(),
                decision.policy().orElse(null),
                decision.rule().orElse(null),
                decision.reason(),
                entry.generation(),
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
