package dev.openshell.policy.engine;

import dev.openshell.policy.match.DestinationGuard;
import dev.openshell.policy.match.RequestHost;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.net.HostName;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the endpoints a request could match without scanning them all: exact hosts by name, IP
 * literal endpoints by address, {@code *.suffix} by the request host's parent domain, and
 * {@code **.suffix} by walking the request host's suffixes. Endpoints without a host ({@code
 * allowed_ips} only) are few and scanned.
 */
final class EndpointIndex {

    static final CompiledEndpoint[] NONE = new CompiledEndpoint[0];

    private final Map<String, CompiledEndpoint[]> exact;
    private final Map<InetAddress, CompiledEndpoint[]> literals;
    private final SuffixTable oneLabel;
    private final SuffixTable anyDepth;
    private final CompiledEndpoint[] hostless;

    EndpointIndex(List<CompiledEndpoint> endpoints) {
        Map<String, List<CompiledEndpoint>> ex = new HashMap<>();
        Map<InetAddress, List<CompiledEndpoint>> lit = new HashMap<>();
        Map<String, List<CompiledEndpoint>> one = new HashMap<>();
        Map<String, List<CompiledEndpoint>> any = new HashMap<>();
        List<CompiledEndpoint> none = new ArrayList<>();
        for (CompiledEndpoint e : endpoints) {
            if (e.host == null) {
                none.add(e);
                continue;
            }
            switch (e.host.kind()) {
                case EXACT -> {
                    InetAddress a = HostName.literal(e.host.suffix());
                    if (a != null) {
                        lit.computeIfAbsent(a, k -> new ArrayList<>()).add(e);
                    } else {
                        ex.computeIfAbsent(e.host.suffix(), k -> new ArrayList<>())
                                .add(e);
                    }
                }
                case ONE_LABEL ->
                    one.computeIfAbsent(e.host.suffix(), k -> new ArrayList<>()).add(e);
                case ANY_DEPTH ->
                    any.computeIfAbsent(e.host.suffix(), k -> new ArrayList<>()).add(e);
            }
        }
        this.exact = freeze(ex);
        this.literals = freeze(lit);
        this.oneLabel = new SuffixTable(freeze(one));
        this.anyDepth = new SuffixTable(freeze(any));
        this.hostless = none.toArray(NONE);
    }

    private static <K> Map<K, CompiledEndpoint[]> freeze(Map<K, List<CompiledEndpoint>> m) {
        Map<K, CompiledEndpoint[]> out = new HashMap<>(Math.max(16, m.size() * 2));
        m.forEach((k, v) -> out.put(k, v.toArray(NONE)));
        return out;
    }

    /**
     * The endpoints whose host matches and whose ports include {@code port}, in document order.
     * Endpoints without a host match when every address of the request is covered by their
     * {@code allowed_ips}. The returned array may be shared: callers must not modify it. When a
     * single stored group answers (the common case), nothing is allocated.
     */
    CompiledEndpoint[] candidates(RequestHost host, int port, L4Request request) {
        CompiledEndpoint[] direct = host.isLiteral() ? literals.get(host.literal()) : exact.get(host.name());
        boolean wildcards = !host.isLiteral() && (!oneLabel.isEmpty() || !anyDepth.isEmpty());
        CompiledEndpoint[] wild = wildcards ? wildcardGroups(host.name(), null) : null;
        boolean hostlessMayMatch = hostless.length > 0 && RequestAddresses.count(request, host) > 0;
        if (!hostlessMayMatch && wild != SEVERAL && (direct == null || wild == null)) {
            CompiledEndpoint[] only = direct != null ? direct : wild;
            if (only == null) {
                return NONE;
            }
            if (allHavePort(only, port)) {
                return only;
            }
        }
        Collector c = new Collector(port);
        c.add(direct);
        if (wildcards) {
            wildcardGroups(host.name(), c);
        }
        if (hostlessMayMatch) {
            for (CompiledEndpoint e : hostless) {
                if (e.hasPort(port) && coversAll(e, request, host)) {
                    c.addOne(e);
                }
            }
        }
        return c.result();
    }

    /**
     * The endpoints whose host matches (exact, literal or wildcard; not those without host),
     * whatever their ports, in document order.
     */
    CompiledEndpoint[] named(RequestHost host) {
        Collector c = new Collector(Collector.ANY_PORT);
        c.add(host.isLiteral() ? literals.get(host.literal()) : exact.get(host.name()));
        if (!host.isLiteral()) {
            wildcardGroups(host.name(), c);
        }
        return c.result();
    }

    /** The endpoints identified by {@code allowed_ips} alone, in document order. Do not modify. */
    CompiledEndpoint[] hostless() {
        return hostless;
    }

    /** Marks that {@link #wildcardGroups} found more than one group. */
    private static final CompiledEndpoint[] SEVERAL = new CompiledEndpoint[0];

    /**
     * The wildcard endpoint groups whose suffix matches {@code name}. Walks the host from its end,
     * keeping the String hash of the suffix seen so far: at each dot, the suffix after it is
     * looked up for {@code **.} (when it has at least two labels, as wildcard suffixes must) and,
     * at the first dot, for {@code *.}. Adds every group to {@code into} when given; otherwise
     * answers the only group, {@code null} for none, or {@link #SEVERAL}.
     */
    private CompiledEndpoint[] wildcardGroups(String name, Collector into) {
        int firstDot = name.indexOf('.');
        if (firstDot <= 0) {
            return null;
        }
        CompiledEndpoint[] found = null;
        int hash = 0;
        int pow = 1;
        boolean multiLabel = false;
        for (int i = name.length() - 1; i >= firstDot; i--) {
            char ch = name.charAt(i);
            if (ch == '.') {
                if (multiLabel) {
                    found = gather(found, anyDepth.get(name, i + 1, hash), into);
                }
                if (i == firstDot) {
                    found = gather(found, oneLabel.get(name, i + 1, hash), into);
                }
                multiLabel = true;
            }
            hash += ch * pow;
            pow *= 31;
        }
        return found;
    }

    private static CompiledEndpoint[] gather(CompiledEndpoint[] found, CompiledEndpoint[] group, Collector into) {
        if (group == null) {
            return found;
        }
        if (into != null) {
            into.add(group);
            return found;
        }
        return found == null ? group : SEVERAL;
    }

    private static boolean allHavePort(CompiledEndpoint[] group, int port) {
        for (CompiledEndpoint e : group) {
            if (!hasPort(e, port)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasPort(CompiledEndpoint e, int port) {
        return port == Collector.ANY_PORT || e.hasPort(port);
    }

    private static boolean coversAll(CompiledEndpoint e, L4Request request, RequestHost host) {
        for (int i = 0, n = RequestAddresses.count(request, host); i < n; i++) {
            if (!e.covers(DestinationGuard.unwrap(RequestAddresses.get(request, host, i)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Gathers candidates; hands back a stored array untouched when it is the only source and all
     * its endpoints have the port (the common case), so a lookup usually allocates nothing.
     */
    private static final class Collector {
        /** Collects whatever the ports. */
        static final int ANY_PORT = -1;

        private final int port;
        private CompiledEndpoint[] single;
        private CompiledEndpoint[] buf;
        private int n;

        Collector(int port) {
            this.port = port;
        }

        void add(CompiledEndpoint[] group) {
            if (group == null) {
                return;
            }
            if (single == null && buf == null && allHavePort(group, port)) {
                single = group;
                return;
            }
            spill();
            for (CompiledEndpoint e : group) {
                if (hasPort(e, port)) {
                    append(e);
                }
            }
        }

        void addOne(CompiledEndpoint e) {
            spill();
            append(e);
        }

        private void spill() {
            if (buf == null) {
                buf = new CompiledEndpoint[8];
            }
            if (single != null) {
                CompiledEndpoint[] s = single;
                single = null;
                for (CompiledEndpoint e : s) {
                    append(e);
                }
            }
        }

        private void append(CompiledEndpoint e) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = e;
        }

        CompiledEndpoint[] result() {
            if (single != null) {
                return single;
            }
            if (n == 0) {
                return NONE;
            }
            CompiledEndpoint[] out = Arrays.copyOf(buf, n);
            Arrays.sort(out, (a, b) -> Integer.compare(a.ordinal, b.ordinal));
            return out;
        }
    }
}
