package dev.openshell.policy.engine;

import dev.openshell.policy.CompiledPolicy;
import dev.openshell.policy.Decision;
import dev.openshell.policy.L4Request;
import dev.openshell.policy.L7Request;
import dev.openshell.policy.Policy;
import dev.openshell.policy.match.AddressClass;
import dev.openshell.policy.match.DestinationGuard;
import dev.openshell.policy.match.RequestHost;
import dev.openshell.policy.match.RequestTarget;
import java.net.InetAddress;
import java.util.List;

/**
 * The evaluator {@link PolicyCompiler} builds. Immutable after construction, so any number of
 * threads may evaluate concurrently.
 */
final class IndexedPolicy implements CompiledPolicy {

    private static final InetAddress[] NO_ADDRESSES = new InetAddress[0];

    private final Policy source;
    private final EndpointIndex index;

    IndexedPolicy(Policy source, EndpointIndex index) {
        this.source = source;
        this.index = index;
    }

    @Override
    public Policy source() {
        return source;
    }

    @Override
    public Decision evaluate(L4Request request) {
        Admission a = admit(request);
        if (a.denial != null) {
            return a.denial;
        }
        CompiledEndpoint first = a.candidates[a.firstAdmitted];
        CompiledEndpoint decider = first;
        if (!first.rest) {
            for (int i = a.firstAdmitted + 1; i < a.candidates.length; i++) {
                CompiledEndpoint e = a.candidates[i];
                if (e.rest && a.admits(e)) {
                    decider = e;
                    break;
                }
            }
        }
        String matched = decider == first ? a.matchedBinary : a.matchedBinary(decider);
        return Reasons.allowL4(decider, a.hostPort(), request.binary(), matched, decider.rest);
    }

    @Override
    public Decision evaluate(L7Request request) {
        L4Request conn = request.connection();
        Admission a = admit(conn);
        if (a.denial != null) {
            return a.denial;
        }
        String method = request.method();
        RequestTarget target = RequestTarget.parse(request.target());
        if (target.error() != null) {
            return Reasons.invalidTarget(
                    a.candidates[a.firstAdmitted], method, target.rawPath(), a.hostPort(), target.error());
        }
        L7Verdicts v = new L7Verdicts();
        for (int i = a.firstAdmitted; i < a.candidates.length; i++) {
            CompiledEndpoint e = a.candidates[i];
            if (i == a.firstAdmitted || a.admits(e)) {
                v.judge(e, method, target);
                if (v.enforcedDeny != null) {
                    break; // deny rules of an enforced endpoint win over everything
                }
            }
        }
        return v.decide(method, target.rawPath(), a.hostPort(), conn.binary());
    }

    /**
     * The L4 part shared by both evaluations: destination guard, candidate lookup, binary and
     * private-range checks. Either {@code denial} is set, or at least one candidate admits.
     */
    private Admission admit(L4Request r) {
        RequestHost host = RequestHost.parse(r.host());
        if (host == null) {
            return new Admission(Reasons.invalidHost(r.host()));
        }
        InetAddress[] addrs = addresses(r, host);
        boolean anyPrivate = false;
        for (InetAddress addr : addrs) {
            AddressClass cls = DestinationGuard.classify(addr);
            if (cls.alwaysDenied()) {
                return new Admission(Reasons.guardAlwaysDenied(host.name(), addr, cls));
            }
            anyPrivate |= cls == AddressClass.PRIVATE;
        }
        CompiledEndpoint[] candidates = index.candidates(host, r.port(), unwrapped(addrs));
        Admission a = new Admission(host, r, addrs, anyPrivate, candidates);
        if (candidates.length == 0) {
            return new Admission(Reasons.noEndpoint(a.hostPort(), r.binary()));
        }
        CompiledEndpoint guardFailed = null;
        for (int i = 0; i < candidates.length; i++) {
            CompiledEndpoint e = candidates[i];
            String matched = e.binaries.firstMatch(r.binary(), r.ancestors());
            if (matched == null) {
                continue;
            }
            if (a.passesGuard(e)) {
                a.firstAdmitted = i;
                a.matchedBinary = matched;
                return a;
            }
            if (guardFailed == null) {
                guardFailed = e;
            }
        }
        if (guardFailed != null) {
            return new Admission(Reasons.guardPrivate(guardFailed, host.name(), a.firstUncovered(guardFailed)));
        }
        return new Admission(Reasons.binaryNotListed(candidates[0], a.hostPort(), r.binary()));
    }

    private static InetAddress[] addresses(L4Request r, RequestHost host) {
        List<InetAddress> given = r.addresses();
        if (given.isEmpty()) {
            return host.isLiteral() ? new InetAddress[] {host.literal()} : NO_ADDRESSES;
        }
        int n = given.size() + (host.isLiteral() ? 1 : 0);
        InetAddress[] out = new InetAddress[n];
        for (int i = 0; i < given.size(); i++) {
            out[i] = given.get(i);
        }
        if (host.isLiteral()) {
            out[n - 1] = host.literal();
        }
        return out;
    }

    /** Addresses as the guard judges them; returns the same array when nothing embeds IPv4. */
    private static InetAddress[] unwrapped(InetAddress[] addrs) {
        InetAddress[] out = addrs;
        for (int i = 0; i < addrs.length; i++) {
            InetAddress u = DestinationGuard.unwrap(addrs[i]);
            if (u != addrs[i]) {
                if (out == addrs) {
                    out = addrs.clone();
                }
                out[i] = u;
            }
        }
        return out;
    }

    /** L4 facts about one request, computed once and consulted per candidate. */
    private static final class Admission {
        final Decision denial;
        final RequestHost host;
        final L4Request request;
        final InetAddress[] addresses;
        final boolean anyPrivate;
        final CompiledEndpoint[] candidates;
        /** Index in {@code candidates} of the first endpoint that admits the connection. */
        int firstAdmitted = -1;
        /** The binary (request or ancestor) that endpoint matched. */
        String matchedBinary;

        private String hostPort;

        Admission(Decision denial) {
            this.denial = denial;
            this.host = null;
            this.request = null;
            this.addresses = NO_ADDRESSES;
            this.anyPrivate = false;
            this.candidates = EndpointIndex.NONE;
        }

        Admission(
                RequestHost host,
                L4Request request,
                InetAddress[] addresses,
                boolean anyPrivate,
                CompiledEndpoint[] candidates) {
            this.denial = null;
            this.host = host;
            this.request = request;
            this.addresses = addresses;
            this.anyPrivate = anyPrivate;
            this.candidates = candidates;
        }

        String hostPort() {
            if (hostPort == null) {
                hostPort = host.withPort(request.port());
            }
            return hostPort;
        }

        boolean admits(CompiledEndpoint e) {
            return matchedBinary(e) != null && passesGuard(e);
        }

        String matchedBinary(CompiledEndpoint e) {
            return e.binaries.firstMatch(request.binary(), request.ancestors());
        }

        /** Private addresses must be covered by the endpoint's allowed_ips; others pass. */
        boolean passesGuard(CompiledEndpoint e) {
            return !anyPrivate || firstUncovered(e) == null;
        }

        InetAddress firstUncovered(CompiledEndpoint e) {
            for (InetAddress addr : addresses) {
                if (DestinationGuard.classify(addr) == AddressClass.PRIVATE
                        && !e.covers(DestinationGuard.unwrap(addr))) {
                    return addr;
                }
            }
            return null;
        }
    }
}
