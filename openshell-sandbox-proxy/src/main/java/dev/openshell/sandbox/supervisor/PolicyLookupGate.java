package dev.openshell.sandbox.supervisor;

import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.sandbox.proxy.dns.PolicyHostNames;
import dev.openshell.sandbox.proxy.dns.SandboxDns;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * What the sandbox's DNS server may look up: a name only for a program the active policy lets
 * reach it. A name no endpoint names is refused at once; otherwise the query's sender is
 * identified like a proxy caller (the UDP socket it asked from, in the sandbox's namespace) and
 * some endpoint whose host matches the name must list its binary or an ancestor. A sender that
 * cannot be identified is refused.
 */
final class PolicyLookupGate implements SandboxDns.LookupGate {

    private final CallerResolver callers;
    private final Supplier<CompiledPolicy> policy;

    /** @param policy the generation in force when a query arrives */
    PolicyLookupGate(CallerResolver callers, Supplier<CompiledPolicy> policy) {
        this.callers = callers;
        this.policy = policy;
    }

    @Override
    public boolean mayLookUp(String name, InetSocketAddress client, InetSocketAddress server) {
        CompiledPolicy active = policy.get();
        if (!PolicyHostNames.names(active.source(), name)) {
            return false; // no need to find out who asked
        }
        CallerIdentity caller = callers.resolveDatagram(client, server);
        return active.mayResolve(caller.binary(), caller.ancestors(), name);
    }
}
