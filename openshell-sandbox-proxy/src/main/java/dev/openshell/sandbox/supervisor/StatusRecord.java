package dev.openshell.sandbox.supervisor;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A sandbox's latest status, in memory and in {@code status.json}: written there only once the
 * state directory is this sandbox's own (a directory that {@link StateDirectories#prepare} refused
 * is another sandbox's).
 */
final class StatusRecord {

    private final Path stateDir;
    private volatile SandboxStatus current;
    private volatile boolean writable;

    StatusRecord(Path stateDir, SandboxStatus first) {
        this.stateDir = stateDir;
        this.current = first;
    }

    SandboxStatus current() {
        return current;
    }

    /** From now on every update is written to the state directory; writes the current one. */
    void ownStateDirectory() {
        writable = true;
        update(current);
    }

    /** Records {@code next}; a failed write fails the caller (provisioning). */
    void update(SandboxStatus next) {
        current = next;
        if (writable) {
            next.write(stateDir);
        }
    }

    /** Records {@code next}, for a teardown that must go on whatever happens to the file. */
    void updateQuietly(SandboxStatus next) {
        current = next;
        if (writable) {
            try {
                next.write(stateDir);
            } catch (UncheckedIOException e) {
                // the state directory is gone; the in-memory status still answers
            }
        }
    }
}
