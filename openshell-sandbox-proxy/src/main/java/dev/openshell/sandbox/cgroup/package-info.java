/**
 * Resource limits per sandbox: a cgroup with memory, pids and cpu limits, on cgroup v2 hosts and
 * on cgroup v1 hosts alike.
 *
 * <p>{@link dev.openshell.sandbox.cgroup.CgroupHierarchy#detect()} probes {@code
 * /proc/self/mountinfo} and picks {@link dev.openshell.sandbox.cgroup.CgroupV2} (unified hierarchy
 * offering memory and pids) or {@link dev.openshell.sandbox.cgroup.CgroupV1} (memory, pids and cpu
 * hierarchies); a host with neither cannot run sandboxes. Both make {@code openshell/<sandbox
 * id>} with the {@link dev.openshell.sandbox.cgroup.ResourceLimits} of the sandbox, and the
 * launcher ({@code openshell-launch --cgroup DIR}) moves itself into it before anything forks, so
 * the agent, everything it starts and every SSH session are inside. The agent's {@code /tmp} and
 * {@code /dev/shm} are tmpfs sized by {@code --tmp-size}; their pages are charged to the writer's
 * memory cgroup, so filling them counts against the sandbox's memory, never the host's.
 *
 * <p>{@link dev.openshell.sandbox.cgroup.SandboxCgroup#hits()} reads the counters the supervisor
 * turns into an exit reason ({@link dev.openshell.sandbox.cgroup.LimitHits}): OOM kills and
 * refused forks.
 */
package dev.openshell.sandbox.cgroup;
