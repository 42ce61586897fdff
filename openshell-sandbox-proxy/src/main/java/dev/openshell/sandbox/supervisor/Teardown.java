package dev.openshell.sandbox.supervisor;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.sandbox.error.SandboxException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A sandbox's end, whatever brings it (the agent's exit, a stop, SIGTERM, a limit hit, a failure
 * half-way through provisioning): {@link #resources} (what the sandbox made on the host) unwinds,
 * the final status is recorded, then {@link #record} (the log, the state directory) unwinds. Runs
 * once; a second caller waits for the first.
 */
final class Teardown {

    private static final Duration PROVISIONING_STOP = Duration.ofSeconds(10);

    private final UndoStack resources;
    private final UndoStack record;
    private final StatusRecord status;
    private final CompletableFuture<SandboxStatus> ended = new CompletableFuture<>();
    private final Object lock = new Object();
    private boolean done;
    private volatile boolean stopRequested;
    private volatile SandboxEnd.Agent agent;

    Teardown(String sandboxId, StatusRecord status) {
        this.resources = new UndoStack("sandbox " + sandboxId);
        this.record = new UndoStack("sandbox " + sandboxId);
        this.status = status;
    }

    /** What the sandbox made on the host, as the steps that undo it. */
    UndoStack resources() {
        return resources;
    }

    /** The state directory and the log: unwound after the final status, which they record. */
    UndoStack record() {
        return record;
    }

    /** The supervisor, not the agent, ends the sandbox. */
    void requestStop() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** How the agent ended, for the final status (set by the agent's undo). */
    void agentEnded(SandboxEnd.Agent end) {
        agent = end;
    }

    /** Unwinds, records the end, completes {@link #awaitEnd}; once, later callers wait for the first. */
    void run(SandboxPhase finalPhase, String reason) {
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            try {
                if (status.current().phase() == SandboxPhase.READY) {
                    status.updateQuietly(status.current().withPhase(SandboxPhase.STOPPING, null));
                }
                List<UndoStack.Failure> failures = resources.unwind();
                status.updateQuietly(
                        SandboxEnd.finalStatus(status.current(), finalPhase, reason, agent, stopRequested, failures));
                record.unwind();
            } finally {
                // Even after an Error in an undo: whoever waits for the end must not wait forever.
                ended.complete(status.current());
            }
        }
    }

    /**
     * Until start returns no caller holds the supervisor to close it, so a SIGTERM now must still
     * undo what was made, and what is being made: a shutdown hook tears down, then waits for {@code
     * provisioning}, which finds the stacks closed at its next push and undoes at once what it just
     * made. (Not interrupted: a step's own cleanup runs commands an interrupt would cut short.)
     * Returns what removes the hook.
     */
    Runnable guardStart(Thread provisioning) {
        Thread hook = new Thread(
                () -> {
                    requestStop();
                    run(SandboxPhase.ERROR, "stopped while starting");
                    try {
                        provisioning.join(PROVISIONING_STOP);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "openshell-start-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            throw new SandboxException(ErrorCode.START_FAILED, "sandbox start failed: this process is shutting down");
        }
        return () -> {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // this process is shutting down: the hook tears down
            }
        };
    }

    /** A start failed half-way: unwinds, and returns the failure to throw. */
    SandboxException failedStart(Exception e) {
        SandboxException failure = switch (e) {
            // Launcher, network, SSH and identity failures are SandboxExceptions with their own codes.
            case SandboxException s -> s;
            case PolicyException p -> new SandboxException(ErrorCode.POLICY_INVALID, p.getMessage(), p);
            default -> new SandboxException(ErrorCode.START_FAILED, "sandbox start failed: " + e.getMessage(), e);
        };
        run(SandboxPhase.ERROR, failure.getMessage());
        return failure;
    }

    /** Waits until the sandbox has ended and is torn down; returns the agent's exit code. */
    int awaitExit() {
        SandboxStatus last = ended.join();
        return last.exitCode() == null ? 125 : last.exitCode();
    }

    /** Like {@link #awaitExit()} with a limit; empty when the sandbox still runs. */
    Optional<SandboxStatus> awaitEnd(Duration timeout) {
        try {
            return Optional.of(ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
