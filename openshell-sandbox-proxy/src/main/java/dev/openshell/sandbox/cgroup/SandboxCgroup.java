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

    /** Ends every process in the group: SIGTERM, {@code grace}, then SIGKILL until it is empty. */
    void terminate(Duration grace);

    /** Removes the (empty) group; a group already gone is fine. */
    void remove();
}
