package dev.openshell.sandbox.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One sandbox's cgroup (one directory per hierarchy on cgroup v1, one on v2). */
public interface SandboxCgroup {

    /** The sandbox id it was made for (its directory name). */
    String sandboxId();

    /** The directories whose {@code cgroup.procs} the launcher joins before anything forks. */
    List<Path> joinPaths();

    /** The limit counters so far. */
    LimitHits hits();

    /** Ends every process in the group: SIGTERM, {@code grace}, then {@link #kill}. */
    void terminate(Duration grace);

    /** SIGKILL to every process in the group until it is empty, processes forked meanwhile included. */
    void kill();

    /** Removes the (empty) group; a group already gone is fine. */
    void remove();
}
