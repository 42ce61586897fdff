package dev.openshell.gateway.local;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Watches one sandbox-host process and says once when it is gone. A host this gateway started is
 * its child, so the JDK hears of its exit at once (and of its status); a host a previous gateway
 * started is polled every {@link #POLL} through its {@link ProcessHandle}, which compares the
 * process's start time too, so a recycled pid is never taken for the host.
 */
final class SandboxHostWatch implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(500);

    /**
     * How a host ended: its pid, which host it was (the {@code generation} it was watched as) and,
     * for a child of this gateway, its exit status (128 + n: signal n).
     */
    record Death(long pid, long generation, Optional<Integer> exitStatus) {
        /** One line for a sandbox's reason. */
        String describe() {
            return exitStatus
                    .map(code -> code > 128
                            ? "the sandbox host process (pid " + pid + ") was killed by signal " + (code - 128)
                            : "the sandbox host process (pid " + pid + ") exited with status " + code)
                    .orElse("the sandbox host process (pid " + pid + ") died");
        }
    }

    private final long pid;
    private final long generation;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SandboxHostWatch(long pid, long generation) {
        this.pid = pid;
        this.generation = generation;
    }

    /** Watches a host this gateway started. */
    static SandboxHostWatch child(Process process, long generation, Consumer<Death> onDeath) {
        SandboxHostWatch watch = new SandboxHostWatch(process.pid(), generation);
        process.onExit().thenAccept(p -> watch.report(onDeath, Optional.of(p.exitValue())));
        return watch;
    }

    /** Watches a host found running (a previous gateway started it); empty when it is gone already. */
    static Optional<SandboxHostWatch> found(long pid, long generation, Consumer<Death> onDeath) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        SandboxHostWatch watch = new SandboxHostWatch(pid, generation);
        Thread.ofVirtual().name("sandbox-host-watch-" + pid).start(() -> {
            while (!watch.closed.get() && handle.get().isAlive()) {
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    return;
                }
            }
            watch.report(onDeath, Optional.empty());
        });
        return Optional.of(watch);
    }

    long pid() {
        return pid;
    }

    long generation() {
        return generation;
    }

    private void report(Consumer<Death> onDeath, Optional<Integer> status) {
        if (closed.compareAndSet(false, true)) {
            onDeath.accept(new Death(pid, generation, status));
        }
    }

    /** Stops watching: an exit after this is expected (a shutdown) or no longer this gateway's business. */
    @Override
    public void close() {
        closed.set(true);
    }
}
