package dev.openshell.sandbox.supervisor;

import java.time.Duration;
import java.util.List;

/** Small pieces of a teardown that must not stop the pieces after them. */
final class TeardownSteps {

    private TeardownSteps() {}

    /** Runs {@code step}, collecting its failure so the next step still runs. */
    static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /** Waits briefly for a pump thread; it is a daemon and never holds the teardown up. */
    static void joinQuietly(Thread thread) {
        try {
            thread.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
