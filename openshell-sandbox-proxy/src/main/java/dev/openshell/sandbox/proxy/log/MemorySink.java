package dev.openshell.sandbox.proxy.log;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Keeps the most recent decisions in memory (a bounded ring: the oldest fall off). For tests and
 * for the supervisor's recent-decisions view. Thread-safe.
 */
public final class MemorySink implements DecisionSink {

    private final int capacity;
    private final ArrayDeque<DecisionRecord> ring;
    private long total;

    public MemorySink(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    @Override
    public synchronized void accept(DecisionRecord record) {
        if (record == null) {
            return;
        }
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(record);
        total++;
        notifyAll();
    }

    /** The retained decisions, oldest first. */
    public synchronized List<DecisionRecord> records() {
        return List.copyOf(ring);
    }

    /** How many decisions were ever accepted (including those that fell off the ring). */
    public synchronized long total() {
        return total;
    }

    public synchronized void clear() {
        ring.clear();
    }

    /** Waits until a retained decision matches, for at most {@code timeout}. */
    public synchronized Optional<DecisionRecord> await(Predicate<DecisionRecord> match, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (DecisionRecord r : ring) {
                if (match.test(r)) {
                    return Optional.of(r);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
