package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.cgroup.CgroupHierarchy;
import dev.openshell.sandbox.cgroup.HostResources;
import dev.openshell.sandbox.cgroup.LimitHits;
import dev.openshell.sandbox.cgroup.ResourceLimits;
import dev.openshell.sandbox.cgroup.SandboxCgroup;
import dev.openshell.sandbox.launch.LaunchSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A sandbox's resource limits as enforced: its cgroup (joined by the launcher before the agent can
 * fork), the size of its {@code /tmp}, and a watch on the limit counters that ends the sandbox
 * when a limit is hit. Ending the whole sandbox is deliberate: on cgroup v1 an OOM kill takes one
 * process and a fork bomb spins at the pids limit forever; on v2 {@code memory.oom.group} already
 * takes the whole group. The reason names the limit.
 */
final class SandboxResources implements AutoCloseable {

    private final SandboxCgroup cgroup;
    private final ResourceLimits limits;
    private final String version;
    private volatile boolean closed;
    private Thread watch;

    private SandboxResources(SandboxCgroup cgroup, ResourceLimits limits, String version) {
        this.cgroup = cgroup;
        this.limits = limits;
        this.version = version;
    }

    /** Creates the cgroup of {@code sandboxId} with {@code requested} (defaults filled in for this host). */
    static SandboxResources create(String sandboxId, ResourceLimits requested) {
        ResourceLimits limits = requested.resolve(HostResources.detect());
        CgroupHierarchy hierarchy = CgroupHierarchy.detect();
        return new SandboxResources(hierarchy.create(sandboxId, limits), limits, hierarchy.version());
    }

    /** What the launcher needs: the cgroup directories to join and the {@code /tmp} size. */
    LaunchSpec.Limits launchLimits() {
        return new LaunchSpec.Limits(cgroup.joinPaths(), limits.tmpBytes());
    }

    /** {@code memory 2 GiB, cpus 2, pids 1024, /tmp 1 GiB (cgroup v1)}. */
    String describe() {
        return limits.describe() + " (cgroup " + version + ")";
    }

    /** Polls the counters every {@code interval}; at the first hit, hands the reason to {@code onLimit} once. */
    synchronized void watch(Duration interval, Consumer<String> onLimit) {
        watch = Thread.ofVirtual().name("limits-" + cgroup.sandboxId()).start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                Optional<String> reason = limitReason();
                if (reason.isPresent() && !closed) {
                    onLimit.accept(reason.get());
                    return;
                }
            }
        });
    }

    /** Why the sandbox must end, if a limit was hit. */
    Optional<String> limitReason() {
        LimitHits hits = cgroup.hits();
        return hits.reason(limits);
    }

    /** SIGKILL to every process in the cgroup until it is empty. */
    void kill() {
        cgroup.kill();
    }

    /** Stops the watch and removes the (empty) cgroup. */
    @Override
    public void close() {
        closed = true;
        Thread running;
        synchronized (this) {
            running = watch;
        }
        if (running != null && running != Thread.currentThread()) {
            running.interrupt();
        }
        cgroup.remove();
    }
}
