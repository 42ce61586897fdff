package dev.openshell.policy.engine;

import dev.openshell.policy.match.AddressClass;
import dev.openshell.policy.match.DestinationGuard;
import dev.openshell.policy.match.RequestHost;
import dev.openshell.policy.match.RequestTarget;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.HostAddresses;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import dev.openshell.policy.model.Policy;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The evaluator {@link PolicyCompiler} builds. Immutable after construction apart from its
 * lock-free {@link AllowCache}, so any number of threads may evaluate concurrently.
 */
final class IndexedPolicy implements CompiledPolicy {

    private final Policy source;
    private final EndpointIndex index;
    private final HostAddresses hostAddresses;
    private final AllowCache allowed;

    IndexedPolicy(Policy source, EndpointIndex index, HostAddresses hostAddresses) {
        this.source = source;
        this.index = index;
        this.hostAddresses = hostAddresses;
        this.allowed = new AllowCache(source.endpointCount());
    }

    @Override
    public Policy source() {
        return source;
    }

    @Override
    public Decision evaluate(L4Request request) {
        return evaluate(request, null, null);
    }

    @Override
    public Decision evaluate(L4Request request, InetAddress connected) {
        return evaluate(request, null, connected);
    }

    @Override
    public Decision evaluate(L7Request request, InetAddress connected) {
        return evaluate(request.connection(), request, connected);
    }

    @Override
    public boolean mayAdmit(L4Request r) {
        RequestHost host = RequestHost.parse(r.host());
        if (host == null) {
            return false;
        }
        for (CompiledEndpoint e : index.candidates(host, r.port(), r)) {
            if (e.binaries.firstMatch(r.binary(), r.ancestors()) != null) {
                return true;
            }
        }
        if (host.isLiteral()) {
            return false; // endpoints without host were candidates when they cover the literal
        }
        for (CompiledEndpoint e : index.hostless()) {
            if (e.hasPort(r.port()) && e.binaries.firstMatch(r.binary(), r.ancestors()) != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean mayResolve(String binary, List<String> ancestors, String name) {
        RequestHost host = RequestHost.parse(name);
        if (host == null) {
            return false;
        }
        for (CompiledEndpoint e : index.named(host)) {
            if (e.binaries.firstMatch(binary, ancestors) != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public CompiledPolicy withHostAddresses(HostAddresses host) {
        return new IndexedPolicy(source, index, Objects.requireNonNull(host, "host"));
    }

    @Override
    public Decision evaluate(L7Request request) {
        return evaluate(request.connection(), request, null);
    }

    /**
     * The L4 part shared by both evaluations (destination guard, candidate lookup, binary and
     * private-range checks), then the L4 allow or, for an HTTP request, the L7 judgement. Kept in
     * one method so the per-request facts stay in locals: the allow path allocates no holder.
     * {@code connected} (or null) is the address an open connection already reached: the host is
     * not asked about it again (a kernel round trip per request on a kept-alive connection).
     */
    private Decision evaluate(L4Request r, L7Request http, InetAddress connected) {
        RequestHost host = RequestHost.parse(r.host());
        if (host == null) {
            return Reasons.invalidHost(r.host());
        }
        boolean anyPrivate = false;
        for (int i = 0, n = RequestAddresses.count(r, host); i < n; i++) {
            InetAddress addr = RequestAddresses.get(r, host, i);
            AddressClass cls = DestinationGuard.classify(addr);
            if (cls.alwaysDenied()) {
                return Reasons.guardAlwaysDenied(host.name(), addr, cls);
            }
            Decision own =
                    hostAddresses == HostAddresses.NONE || addr.equals(connected) ? null : ownAddress(host, addr);
            if (own != null) {
                return own;
            }
            anyPrivate |= cls == AddressClass.PRIVATE;
        }
        CompiledEndpoint[] candidates = index.candidates(host, r.port(), r);
        if (candidates.length == 0) {
            return Reasons.noEndpoint(host.withPort(r.port()), r.binary());
        }
        CompiledEndpoint guardFailed = null;
        for (int i = 0; i < candidates.length; i++) {
            CompiledEndpoint e = candidates[i];
            String matched = e.binaries.firstMatch(r.binary(), r.ancestors());
            if (matched == null) {
                continue;
            }
            if (!anyPrivate || firstUncovered(e, r, host) == null) {
                return http == null
                        ? allowL4(candidates, i, matched, r, host, anyPrivate)
                        : judgeL7(http, candidates, i, r, host, anyPrivate);
            }
            if (guardFailed == null) {
                guardFailed = e;
            }
        }
        if (guardFailed != null) {
            return Reasons.guardPrivate(guardFailed, host.name(), firstUncovered(guardFailed, r, host));
        }
        return Reasons.binaryNotListed(candidates[0], host.withPort(r.port()), r.binary());
    }

    /**
     * The denial when {@code addr} (or the IPv4 address it embeds) belongs to this host, or when
     * the host cannot tell; otherwise null.
     */
    private Decision ownAddress(RequestHost host, InetAddress addr) {
        InetAddress inner = DestinationGuard.unwrap(addr);
        try {
            if (hostAddresses.contains(addr) || (inner != addr && hostAddresses.contains(inner))) {
                return Reasons.guardHostAddress(host.name(), addr);
            }
            return null;
        } catch (RuntimeException e) {
            return Reasons.guardHostUnknown(host.name(), addr, e.getMessage());
        }
    }

    /** The allow, decided by the first admitting endpoint, or a later REST one so it is inspected. */
    private Decision allowL4(
            CompiledEndpoint[] candidates,
            int first,
            String matched,
            L4Request r,
            RequestHost host,
            boolean anyPrivate) {
        CompiledEndpoint decider = candidates[first];
        String decidingBinary = matched;
        for (int i = first + 1; i < candidates.length && !decider.rest; i++) {
            CompiledEndpoint e = candidates[i];
            String m = e.rest ? admittedBinary(e, r, host, anyPrivate) : null;
            if (m != null) {
                decider = e;
                decidingBinary = m;
            }
        }
        return allowed.allowL4(decider, host, r.port(), r.binary(), decidingBinary);
    }

    /** Asks every admitting endpoint about the HTTP request; an enforced deny rule ends the search. */
    private Decision judgeL7(
            L7Request http,
            CompiledEndpoint[] candidates,
            int first,
            L4Request r,
            RequestHost host,
            boolean anyPrivate) {
        String method = http.method();
        RequestTarget target = RequestTarget.parse(http.target());
        if (target.error() != null) {
            return Reasons.invalidTarget(
                    candidates[first], method, target.rawPath(), host.withPort(r.port()), target.error());
        }
        L7Verdicts v = new L7Verdicts();
        for (int i = first; i < candidates.length && v.enforcedDeny == null; i++) {
            CompiledEndpoint e = candidates[i];
            if (i == first || admittedBinary(e, r, host, anyPrivate) != null) {
                v.judge(e, http, target);
            }
        }
        return v.decide(method, target, host, r.port(), r.binary());
    }

    /** The binary (request or ancestor) through which {@code e} admits the connection, or null. */
    private static String admittedBinary(CompiledEndpoint e, L4Request r, RequestHost host, boolean anyPrivate) {
        String matched = e.binaries.firstMatch(r.binary(), r.ancestors());
        return matched != null && (!anyPrivate || firstUncovered(e, r, host) == null) ? matched : null;
    }

    /** The first private address that {@code e}'s allowed_ips do not cover, or null. */
    private static InetAddress firstUncovered(CompiledEndpoint e, L4Request r, RequestHost host) {
        for (int i = 0, n = RequestAddresses.count(r, host); i < n; i++) {
            InetAddress addr = RequestAddresses.get(r, host, i);
            if (DestinationGuard.classify(addr) == AddressClass.PRIVATE && !e.covers(DestinationGuard.unwrap(addr))) {
                return addr;
            }
        }
        return null;
    }
}
