package dev.openshell.sandbox.supervisor;

import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.sandbox.cgroup.ResourceLimits;
import dev.openshell.sandbox.launch.LaunchSpec;
import dev.openshell.sandbox.users.AgentIdentity;
import dev.openshell.sandbox.users.UidAllocator;
import dev.openshell.sandbox.users.UidClaim;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a sandbox takes from the host besides its network: a uid (and gid) of its own, and a cgroup
 * with its limits. Given back in reverse at the end: the cgroup once every process in it has
 * ended, the uid last, so it is never handed to another sandbox while something could still run
 * as it.
 */
final class HostClaims {

    private final UidClaim uid;
    private final AgentIdentity identity;
    private SandboxResources resources;

    private HostClaims(UidClaim uid, AgentIdentity identity) {
        this.uid = uid;
        this.identity = identity;
    }

    /** Claims a uid for {@code sandboxId} and resolves the policy's {@code process} section with it. */
    static HostClaims claim(String sandboxId, ProcessPolicy process) {
        UidAllocator uids = new UidAllocator(UidAllocator.DEFAULT_STATE_DIR);
        UidClaim claim = uids.claim(sandboxId);
        try {
            return new HostClaims(claim, AgentIdentity.resolve(process, claim));
        } catch (RuntimeException e) {
            uids.release(claim);
            throw e;
        }
    }

    AgentIdentity identity() {
        return identity;
    }

    /** Creates the cgroup with {@code requested} (defaults filled in); returns what it enforces. */
    String limit(ResourceLimits requested) {
        resources = SandboxResources.create(uid.sandboxId(), requested);
        return resources.describe();
    }

    /** What the launcher needs to join the cgroup and size {@code /tmp}. */
    LaunchSpec.Limits launchLimits() {
        return resources.launchLimits();
    }

    /** Ends the sandbox through {@code onLimit} at the first limit hit. */
    void watch(Duration interval, Consumer<String> onLimit) {
        resources.watch(interval, onLimit);
    }

    /** SIGKILL to every process in the cgroup (if one was made) until it is empty. */
    void kill() {
        if (resources != null) {
            resources.kill();
        }
    }

    /** Why the sandbox had to end, if a limit was hit. */
    Optional<String> limitReason() {
        return resources == null ? Optional.empty() : resources.limitReason();
    }

    /** Stops the limit watch and removes the (empty) cgroup, if one was made. */
    void removeCgroup() {
        if (resources != null) {
            resources.close();
        }
    }

    /** Gives the uid back: last, once nothing of the sandbox can run as it any more. */
    void releaseUid() {
        new UidAllocator(UidAllocator.DEFAULT_STATE_DIR).release(uid);
    }
}
