package dev.openshell.sandbox.supervisor;

import dev.openshell.policy.PolicyDiff;
import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.sandbox.proxy.EgressProxy;
import dev.openshell.sandbox.proxy.ReloadResult;

/**
 * Applies a new policy document to a running sandbox: the network policies are swapped in the
 * proxy without restarting the agent; the static sections (filesystem, landlock, process) are
 * fixed once the agent runs, so a document that changes them is refused, naming each change.
 */
final class PolicyReload {

    private final EgressProxy proxy;
    private final PolicyEngine.Options compileOptions;
    private final SandboxLog log;
    private Policy current;

    PolicyReload(Policy initial, EgressProxy proxy, PolicyEngine.Options compileOptions, SandboxLog log) {
        this.current = initial;
        this.proxy = proxy;
        this.compileOptions = compileOptions;
        this.log = log;
    }

    /** Parses, checks and loads {@code yaml} as the generation after {@code active}. */
    synchronized ReloadOutcome apply(byte[] yaml, String source, long active) {
        Policy next;
        try {
            next = PolicyParser.parse(yaml, source);
        } catch (PolicyException e) {
            return ReloadOutcome.failed(active, e.getMessage());
        }
        PolicyDiff diff = PolicyDiff.between(current, next);
        if (diff.hasStaticChanges()) {
            String error = "static sections cannot change on a running sandbox (recreate it to change them):\n"
                    + diff.render().strip();
            log.event("policy reload rejected: " + error);
            return ReloadOutcome.failed(active, error);
        }
        ReloadResult result = proxy.replacePolicy(PolicyEngine.compile(next, compileOptions), active + 1);
        if (!result.loaded()) {
            log.event("policy reload failed: " + result.error());
            return ReloadOutcome.failed(active, result.error());
        }
        current = next;
        log.event("policy generation " + result.generation() + " loaded from " + source + " ("
                + result.closedConnections() + " tunnels closed)");
        return new ReloadOutcome(true, result.generation(), null, result.closedConnections());
    }
}
