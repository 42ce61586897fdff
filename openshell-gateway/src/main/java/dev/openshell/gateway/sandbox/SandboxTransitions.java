package dev.openshell.gateway.sandbox;

import dev.openshell.api.sandbox.SandboxPhase;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies phase changes from drivers and background work: read, change, conditional write, and
 * again on a lost race, so an event never overwrites a concurrent write. Changes the {@link
 * SandboxLifecycle} does not allow are dropped (a late event cannot move a sandbox backwards).
 * Waiters for a phase are woken at once.
 */
@Component
public class SandboxTransitions {

    private static final Logger log = LoggerFactory.getLogger(SandboxTransitions.class);
    private static final int ATTEMPTS = 20;

    private final SandboxRepository sandboxes;
    private final Object changes = new Object();

    SandboxTransitions(SandboxRepository sandboxes) {
        this.sandboxes = sandboxes;
    }

    /**
     * Moves sandbox {@code id} to what {@code change} makes of it; {@code change} returns its input
     * unchanged to do nothing. Returns the record as written (or as found).
     */
    public Optional<SandboxRecord> apply(String id, UnaryOperator<SandboxRecord> change) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<SandboxRecord> current = sandboxes.byId(id);
            if (current.isEmpty()) {
                return current;
            }
            SandboxRecord next = change.apply(current.get());
            if (next.equals(current.get())) {
                return current;
            }
            if (next.phase() != current.get().phase()
                    && !SandboxLifecycle.allows(current.get().phase(), next.phase())) {
                log.debug("sandbox {}: ignoring {} -> {}", id, current.get().phase(), next.phase());
                return current;
            }
            Optional<SandboxRecord> written = sandboxes.update(next);
            if (written.isPresent()) {
                wake();
                return written;
            }
        }
        log.warn("sandbox {}: gave up a phase change after {} lost races", id, ATTEMPTS);
        return sandboxes.byId(id);
    }

    /** Moves to {@code phase} with {@code reason} if the lifecycle allows it from where the sandbox is. */
    public Optional<SandboxRecord> moveTo(String id, SandboxPhase phase, String reason) {
        return apply(id, s -> SandboxLifecycle.allows(s.phase(), phase) ? s.withPhase(phase, reason) : s);
    }

    /** Waits until the sandbox is in a settled phase (or gone), at most {@code timeout}. */
    public Optional<SandboxRecord> awaitSettled(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<SandboxRecord> s = sandboxes.byId(id);
            long left = deadline - System.nanoTime();
            if (s.isEmpty() || s.get().phase().isSettled() || left <= 0) {
                return s;
            }
            synchronized (changes) {
                try {
                    changes.wait(Math.max(1, Math.min(left / 1_000_000, 250)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return sandboxes.byId(id);
                }
            }
        }
    }

    void wake() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }
}
