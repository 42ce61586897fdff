package dev.openshell.policy.update;

import static dev.openshell.policy.update.HostPort.invalid;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.PolicyUpdate;
import dev.openshell.policy.model.Protocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A working copy of {@code network_policies} that update operations are applied to one after the
 * other. The model records are immutable, so every change replaces the affected {@link
 * NetworkPolicy}; map order (document order) is kept and new policies go last.
 *
 * <p>Where an operation changes one port of a multi-port endpoint ({@code ports: [80, 443]}), that
 * port is first split off into an endpoint of its own, so the other ports keep their settings.
 */
public final class NetworkPoliciesDraft {

    private static final int MAX_KEY_LENGTH = 128;

    private final Map<String, NetworkPolicy> policies;

    public NetworkPoliciesDraft(Map<String, NetworkPolicy> initial) {
        this.policies = new LinkedHashMap<>(initial);
    }

    /** The network policies as they stand after the operations applied so far. */
    public Map<String, NetworkPolicy> result() {
        return new LinkedHashMap<>(policies);
    }

    public void apply(PolicyUpdate update) {
        switch (update) {
            case PolicyUpdate.AddEndpoint op -> addEndpoint(op);
            case PolicyUpdate.RemoveEndpoint op -> removeEndpoint(op);
            case PolicyUpdate.AddAllow op -> addAllow(op);
            case PolicyUpdate.AddDeny op -> addDeny(op);
        }
    }

    /**
     * The key {@code --add-endpoint} and {@code --add-allow} use when none is given: {@code
     * allow_<host>_<port>} with every character of the host other than ASCII letters and digits
     * replaced by {@code _} ({@code allow_api_github_com_443}), the host part shortened if needed
     * to keep the key within 128 characters.
     */
    public static String derivedKey(String host, int port) {
        String suffix = "_" + port;
        String h = host.replaceAll("[^A-Za-z0-9]", "_");
        int room = MAX_KEY_LENGTH - "allow_".length() - suffix.length();
        return "allow_" + (h.length() > room ? h.substring(0, room) : h) + suffix;
    }

    private void addEndpoint(PolicyUpdate.AddEndpoint op) {
        String where = HostPort.display(op.host(), op.port());
        if (op.protocol() == Protocol.L4 && op.access() != null) {
            throw invalid("--add-endpoint " + where + ": access " + op.access().yaml() + " needs protocol rest");
        }
        String key = op.policyKey() != null ? op.policyKey() : derivedKey(op.host(), op.port());
        NetworkPolicy existing = policies.get(key);
        if (existing == null) {
            if (op.binaries().isEmpty()) {
                throw invalid(
                        "--add-endpoint " + where + " creates policy " + key + " and needs at least one --binary");
            }
            policies.put(key, new NetworkPolicy(key, null, List.of(newEndpoint(op)), refs(op.binaries())));
            return;
        }
        List<Endpoint> endpoints = new ArrayList<>(existing.endpoints());
        int i = indexOf(endpoints, op.host(), op.port(), op.protocol());
        if (i < 0) {
            endpoints.add(newEndpoint(op));
        } else if (op.access() != null && op.access() != endpoints.get(i).access()) {
            if (endpoints.get(i).access() == null) {
                throw invalid("endpoint " + where + " in policy " + key + " uses rules, which cannot be combined with"
                        + " access: " + op.access().yaml() + "; replace the rules with access in the policy file");
            }
            i = splitOff(endpoints, i, op.port());
            endpoints.set(i, withAccess(endpoints.get(i), op.access()));
        }
        List<BinaryRef> binaries = new ArrayList<>(existing.binaries());
        for (BinaryRef b : refs(op.binaries())) {
            if (!binaries.contains(b)) {
                binaries.add(b);
            }
        }
        policies.put(key, new NetworkPolicy(key, existing.name(), endpoints, binaries));
    }

    private void removeEndpoint(PolicyUpdate.RemoveEndpoint op) {
        boolean found = false;
        Map<String, NetworkPolicy> next = new LinkedHashMap<>();
        for (NetworkPolicy p : policies.values()) {
            List<Endpoint> kept = new ArrayList<>();
            for (Endpoint e : p.endpoints()) {
                if (matches(e, op.host(), op.port())) {
                    found = true;
                    List<Integer> ports = new ArrayList<>(e.ports());
                    ports.remove(Integer.valueOf(op.port()));
                    if (!ports.isEmpty()) {
                        kept.add(withPorts(e, ports));
                    }
                } else {
                    kept.add(e);
                }
            }
            if (!kept.isEmpty()) {
                next.put(p.key(), new NetworkPolicy(p.key(), p.name(), kept, p.binaries()));
            }
        }
        if (!found) {
            throw invalid("no endpoint " + HostPort.display(op.host(), op.port()) + " in the policy");
        }
        policies.clear();
        policies.putAll(next);
    }

    private void addAllow(PolicyUpdate.AddAllow op) {
        String where = HostPort.display(op.host(), op.port());
        if (op.binary() == null) {
            throw invalid("--add-allow " + where + " needs --binary: an allow rule is added for one binary");
        }
        HttpRule rule = HttpRule.of(op.method(), op.path());
        List<Site> rest = new ArrayList<>();
        Site l4 = null;
        for (NetworkPolicy p : policies.values()) {
            if (!p.binaries().contains(new BinaryRef(op.binary()))) {
                continue;
            }
            for (int i = 0; i < p.endpoints().size(); i++) {
                Endpoint e = p.endpoints().get(i);
                if (!matches(e, op.host(), op.port())) {
                    continue;
                }
                if (e.protocol() == Protocol.REST) {
                    if (e.rules().contains(rule)) {
                        return; // already there: applying an update twice changes nothing
                    }
                    rest.add(new Site(p.key(), i));
                } else if (l4 == null) {
                    l4 = new Site(p.key(), i);
                }
            }
        }
        for (Site site : rest) {
            if (endpoint(site).access() == null) {
                updateEndpoint(site, op.port(), e -> withRules(e, append(e.rules(), rule)));
                return;
            }
        }
        if (!rest.isEmpty()) {
            Access access = endpoint(rest.getFirst()).access();
            String key = rest.getFirst().key();
            String preset = "endpoint " + where + " in policy " + key + " uses access: " + access.yaml();
            if (access.allows(op.method())) {
                throw invalid(preset + ", which already allows " + op.method() + "; there is no allow rule to add");
            }
            throw invalid(preset + ", which takes no allow rules; widen the preset with --add-endpoint " + where
                    + ":" + (access == Access.READ_ONLY ? "read-write" : "full") + ":rest for policy " + key
                    + ", or replace access with rules in the policy file");
        }
        if (l4 != null) {
            throw invalid("policy " + l4.key() + " already allows " + op.binary() + " every request to " + where
                    + " (the endpoint has no protocol: rest); an allow rule would change nothing");
        }
        String key = derivedKey(op.host(), op.port());
        for (int n = 2; policies.containsKey(key); n++) {
            key = derivedKey(op.host(), op.port()) + "_" + n;
        }
        Endpoint endpoint = new Endpoint(
                op.host(),
                List.of(op.port()),
                Protocol.REST,
                Enforcement.ENFORCE,
                null,
                List.of(rule),
                List.of(),
                List.of());
        policies.put(key, new NetworkPolicy(key, null, List.of(endpoint), List.of(new BinaryRef(op.binary()))));
    }

    private void addDeny(PolicyUpdate.AddDeny op) {
        HttpRule rule = HttpRule.of(op.method(), op.path());
        List<Site> sites = new ArrayList<>();
        for (NetworkPolicy p : policies.values()) {
            if (op.binary() != null && !p.binaries().contains(new BinaryRef(op.binary()))) {
                continue;
            }
            for (int i = 0; i < p.endpoints().size(); i++) {
                Endpoint e = p.endpoints().get(i);
                if (matches(e, op.host(), op.port()) && e.protocol() == Protocol.REST) {
                    sites.add(new Site(p.key(), i));
                }
            }
        }
        if (sites.isEmpty()) {
            throw invalid("no endpoint " + HostPort.display(op.host(), op.port()) + " with protocol: rest"
                    + (op.binary() == null ? "" : " for " + op.binary())
                    + " in the policy; deny rules apply to inspected (rest) endpoints only");
        }
        // Last to first: splitting an endpoint inserts after it, which would shift later indexes.
        for (Site site : sites.reversed()) {
            if (!endpoint(site).denyRules().contains(rule)) {
                updateEndpoint(site, op.port(), e -> withDenyRules(e, append(e.denyRules(), rule)));
            }
        }
    }

    /** An endpoint by policy key and index. */
    private record Site(String key, int index) {}

    private Endpoint endpoint(Site site) {
        return policies.get(site.key()).endpoints().get(site.index());
    }

    /** Replaces the endpoint at {@code site}, restricted to {@code port}, by {@code change} of it. */
    private void updateEndpoint(Site site, int port, UnaryOperator<Endpoint> change) {
        NetworkPolicy p = policies.get(site.key());
        List<Endpoint> endpoints = new ArrayList<>(p.endpoints());
        int i = splitOff(endpoints, site.index(), port);
        endpoints.set(i, change.apply(endpoints.get(i)));
        policies.put(p.key(), new NetworkPolicy(p.key(), p.name(), endpoints, p.binaries()));
    }

    /**
     * Makes {@code port} of endpoint {@code i} an endpoint of its own (inserted right after it)
     * unless it already is; returns the index of the single-port endpoint.
     */
    private static int splitOff(List<Endpoint> endpoints, int i, int port) {
        Endpoint e = endpoints.get(i);
        if (e.ports().size() == 1) {
            return i;
        }
        List<Integer> others = new ArrayList<>(e.ports());
        others.remove(Integer.valueOf(port));
        endpoints.set(i, withPorts(e, others));
        endpoints.add(i + 1, withPorts(e, List.of(port)));
        return i + 1;
    }

    private static int indexOf(List<Endpoint> endpoints, String host, int port, Protocol protocol) {
        for (int i = 0; i < endpoints.size(); i++) {
            if (matches(endpoints.get(i), host, port) && endpoints.get(i).protocol() == protocol) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(Endpoint e, String host, int port) {
        return host.equals(e.host()) && e.ports().contains(port);
    }

    private static Endpoint newEndpoint(PolicyUpdate.AddEndpoint op) {
        Access access = op.protocol() == Protocol.REST ? (op.access() == null ? Access.FULL : op.access()) : null;
        return new Endpoint(
                op.host(),
                List.of(op.port()),
                op.protocol(),
                Enforcement.ENFORCE,
                access,
                List.of(),
                List.of(),
                List.of());
    }

    private static List<BinaryRef> refs(List<String> paths) {
        return paths.stream().distinct().map(BinaryRef::new).toList();
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list);
        out.add(item);
        return out;
    }

    private static Endpoint withPorts(Endpoint e, List<Integer> ports) {
        return new Endpoint(
                e.host(),
                ports,
                e.protocol(),
                e.enforcement(),
                e.access(),
                e.rules(),
                e.denyRules(),
                e.allowedIps(),
                e.requestLimits());
    }

    private static Endpoint withAccess(Endpoint e, Access access) {
        return new Endpoint(
                e.host(),
                e.ports(),
                e.protocol(),
                e.enforcement(),
                access,
                e.rules(),
                e.denyRules(),
                e.allowedIps(),
                e.requestLimits());
    }

    private static Endpoint withRules(Endpoint e, List<HttpRule> rules) {
        return new Endpoint(
                e.host(),
                e.ports(),
                e.protocol(),
                e.enforcement(),
                e.access(),
                rules,
                e.denyRules(),
                e.allowedIps(),
                e.requestLimits());
    }

    private static Endpoint withDenyRules(Endpoint e, List<HttpRule> denyRules) {
        return new Endpoint(
                e.host(),
                e.ports(),
                e.protocol(),
                e.enforcement(),
                e.access(),
                e.rules(),
                denyRules,
                e.allowedIps(),
                e.requestLimits());
    }
}
