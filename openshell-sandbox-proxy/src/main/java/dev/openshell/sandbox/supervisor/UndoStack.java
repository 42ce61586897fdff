package dev.openshell.sandbox.supervisor;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a sandbox has made, as the steps that undo it: each provisioning step, once it has made
 * something, pushes a named undo ("remove the network", "release the uid claim"); {@link #unwind}
 * runs them in reverse. So provisioning and teardown share one order, kept by the code that makes
 * things, and a failure half-way through provisioning undoes exactly what was made.
 *
 * <p>Every undo runs even when one before it fails; each failure is logged once, at warn, with its
 * step's name, and returned. Each undo runs at most once: {@link #unwind} runs the stack once,
 * whoever calls it (the agent's exit, a stop, SIGTERM, a failed start can race); a second caller
 * waits until the first is done and gets no failures. Once unwound the stack is closed: a step
 * pushed later (something made while the teardown ran) is undone at once and the push throws, so
 * nothing outlives the teardown.
 */
final class UndoStack {

    private static final Logger LOG = LoggerFactory.getLogger(UndoStack.class);

    /** What undoes one step; it may throw, the next undo runs anyway. */
    @FunctionalInterface
    interface Undo {
        void run() throws Exception;
    }

    /** A step whose undo failed. */
    record Failure(String step, Exception cause) {
        /** {@code remove the network: nft failed ...}. */
        String describe() {
            return step + ": " + cause.getMessage();
        }
    }

    private record Step(String name, Undo undo) {}

    private final String owner;
    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean unwound;

    /** @param owner what the steps belong to, for the log ({@code sandbox 3f2a...}) */
    UndoStack(String owner) {
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /**
     * Registers what undoes the step just done. After {@link #unwind} the undo runs at once and a
     * {@link SandboxException} ({@code start_failed}) says the sandbox is already torn down.
     */
    synchronized void push(String step, Undo undo) {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(undo, "undo");
        if (unwound) {
            // The interrupt that stopped provisioning must not cut this undo's waits short.
            boolean interrupted = Thread.interrupted();
            try {
                run(new Step(step, undo), new ArrayList<>());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new SandboxException(
                    ErrorCode.START_FAILED, owner + " was torn down while it started (undone at once: " + step + ")");
        }
        steps.push(new Step(step, undo));
    }

    /** {@link #push} of {@code resource}'s {@code close}; returns {@code resource}. */
    <T extends AutoCloseable> T closing(String step, T resource) {
        push(step, resource::close);
        return resource;
    }

    /** The names of the steps to undo, next first. */
    synchronized List<String> pending() {
        return steps.stream().map(Step::name).toList();
    }

    /**
     * Runs every undo, last pushed first, and returns the failures in that order; empty for every
     * call after the first.
     */
    synchronized List<Failure> unwind() {
        List<Failure> failures = new ArrayList<>();
        if (unwound) {
            return failures;
        }
        unwound = true;
        while (!steps.isEmpty()) {
            run(steps.pop(), failures);
        }
        return List.copyOf(failures);
    }

    private void run(Step step, List<Failure> failures) {
        try {
            step.undo().run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("{}: undo step '{}' failed: {}", owner, step.name(), e.toString());
            failures.add(new Failure(step.name(), e));
        }
    }
}
