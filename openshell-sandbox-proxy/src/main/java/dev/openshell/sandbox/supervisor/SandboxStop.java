package dev.openshell.sandbox.supervisor;

import static dev.openshell.sandbox.supervisor.TeardownSteps.attempt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Ends every process of a sandbox, gently first. SIGTERM goes to the launcher only: the relay
 * forwards it to the init, the init to the agent and, once the agent has gone, asks the rest to
 * stop, so one SIGTERM reaches the agent (not one from here plus one from each process in
 * between). After the grace, the cgroup's kill ends whatever is left, forks in flight included,
 * the stronger guarantee; a sweep of the network namespace last finds any process outside the
 * cgroup (none should be: the launcher joins it before anything forks, SSH sessions included).
 */
final class SandboxStop {

    private SandboxStop() {}

    /**
     * @param launcher the launcher the supervisor started, or null
     * @param claims the sandbox's cgroup and uid, or null when none were claimed
     * @throws RuntimeException the first step's failure (the others suppressed in it), once every
     *     step has run
     */
    static void endAll(Process launcher, HostClaims claims, long netnsInode, Duration grace) {
        List<RuntimeException> failures = new ArrayList<>();
        attempt(failures, () -> NamespaceProcesses.askToStop(launcher == null ? 0 : launcher.pid(), netnsInode, grace));
        attempt(failures, () -> {
            if (claims != null) {
                claims.kill();
            }
        });
        attempt(failures, () -> NamespaceProcesses.killAll(netnsInode, Duration.ZERO));
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * The agent's undo: {@link #endAll}, then the launcher's exit code and the limit hit, if any,
     * to the teardown (even when a step failed), once the output pumps have drained.
     */
    static void stop(
            Process launcher,
            HostClaims claims,
            long netnsInode,
            Duration grace,
            AgentOutput output,
            Teardown teardown) {
        try {
            endAll(launcher, claims, netnsInode, grace);
        } finally {
            int exitCode = AgentExit.await(launcher);
            output.drain();
            String limitReason = null;
            try {
                limitReason = claims.limitReason().orElse(null);
            } finally {
                teardown.agentEnded(new SandboxEnd.Agent(exitCode, limitReason));
            }
        }
    }
}
