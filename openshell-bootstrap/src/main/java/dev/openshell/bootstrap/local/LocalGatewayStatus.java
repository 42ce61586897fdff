package dev.openshell.bootstrap.local;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a local gateway's process runs, from its data directory.
 *
 * @param daemon what the last start recorded; empty when it was never started here
 * @param running whether that process still runs
 */
public record LocalGatewayStatus(Path dataDir, Optional<DaemonRecord> daemon, boolean running) {

    /** The running process's pid, or -1. */
    public long pid() {
        return running ? daemon.orElseThrow().pid() : -1;
    }
}
