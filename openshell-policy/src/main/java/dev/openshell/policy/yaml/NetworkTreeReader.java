package dev.openshell.policy.yaml;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.PolicyLimits;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.model.QueryMatch;
import dev.openshell.policy.model.RequestLimits;
import dev.openshell.policy.validate.PolicyChecker;
import dev.openshell.policy.validate.SourceMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads {@code network_policies} into the model (structure only; see {@link PolicyTreeReader}). */
final class NetworkTreeReader {

    static final List<String> POLICY = List.of("name", "endpoints", "binaries");
    static final List<String> ENDPOINT = List.of(
            "host",
            "port",
            "ports",
            "protocol",
            "enforcement",
            "access",
            "rules",
            "deny_rules",
            "allowed_ips",
            "request_limits");
    static final List<String> REQUEST_LIMITS = List.of("max_url_bytes", "max_query_bytes", "max_header_bytes");
    static final List<String> RULE_ITEM = List.of("allow");
    static final List<String> RULE = List.of("method", "path", "query");
    static final List<String> QUERY_ANY = List.of("any");
    static final List<String> BINARY = List.of("path");

    private NetworkTreeReader() {}

    static Map<String, NetworkPolicy> read(Node node, At at, Walk walk) {
        Fields f = walk.fields(node, at, at, null, "a mapping of policy keys to policies");
        Map<String, NetworkPolicy> out = new LinkedHashMap<>();
        if (f == null) {
            return out;
        }
        int endpoints = countEndpoints(node);
        if (endpoints > PolicyLimits.MAX_ENDPOINTS) {
            // Checked before walking so a huge document is rejected with one error, not thousands.
            walk.error(node, at.yaml(), PolicyChecker.tooManyEndpoints(endpoints));
            walk.dirty(at);
            return out;
        }
        for (String key : f.keys()) {
            At keyAt = at.key(key);
            walk.record(new At(keyAt.model() + SourceMap.KEY_SUFFIX, keyAt.yaml()), f.keyNode(key));
            NetworkPolicy p = policy(key, f.get(key), keyAt, walk);
            if (p != null) {
                out.put(key, p);
            }
        }
        return out;
    }

    private static int countEndpoints(Node network) {
        int n = 0;
        for (NodeTuple t : ((MappingNode) network).getValue()) {
            if (t.getValueNode() instanceof MappingNode policy) {
                for (NodeTuple p : policy.getValue()) {
                    if (p.getKeyNode() instanceof ScalarNode k
                            && k.getValue().equals("endpoints")
                            && p.getValueNode() instanceof SequenceNode s) {
                        n += s.getValue().size();
                    }
                }
            }
        }
        return n;
    }

    private static NetworkPolicy policy(String key, Node node, At at, Walk walk) {
        Fields f = walk.fields(node, at, at, POLICY, "a policy mapping with `endpoints` and `binaries`");
        if (f == null) {
            return null;
        }
        String name = f.get("name") == null ? null : walk.string(f.get("name"), at.key("name"), at, true);
        List<Endpoint> endpoints = new ArrayList<>();
        if (f.get("endpoints") != null) {
            At eAt = at.key("endpoints");
            List<Node> items = walk.sequence(f.get("endpoints"), eAt, at, "a list of endpoints");
            for (int i = 0; items != null && i < items.size(); i++) {
                Endpoint e = endpoint(items.get(i), eAt.item(endpoints.size(), i), at, walk);
                if (e != null) {
                    endpoints.add(e);
                }
            }
        }
        List<BinaryRef> binaries = new ArrayList<>();
        if (f.get("binaries") != null) {
            At bAt = at.key("binaries");
            List<Node> items = walk.sequence(f.get("binaries"), bAt, at, "a list of `{path: ...}` entries");
            for (int i = 0; items != null && i < items.size(); i++) {
                BinaryRef b = binary(items.get(i), bAt.item(binaries.size(), i), at, walk);
                if (b != null) {
                    binaries.add(b);
                }
            }
        }
        return new NetworkPolicy(key, name, endpoints, binaries);
    }

    private static BinaryRef binary(Node node, At at, At owner, Walk walk) {
        if (node instanceof ScalarNode) {
            // Shorthand `- /usr/bin/gh`; the model path still names `.path`.
            walk.record(at, node);
            String path = walk.string(node, new At(at.model() + ".path", at.yaml()), owner, false);
            return path == null ? null : new BinaryRef(path);
        }
        Fields f = walk.fields(node, at, owner, BINARY, "`{path: ...}` or a path string");
        if (f == null) {
            return null;
        }
        Node pathNode = walk.required(f, "path", node, at, owner, "a binary needs `path`");
        if (pathNode == null) {
            return null;
        }
        String path = walk.string(pathNode, at.key("path"), owner, false);
        return path == null ? null : new BinaryRef(path);
    }

    private static Endpoint endpoint(Node node, At at, At owner, Walk walk) {
        Fields f = walk.fields(node, at, owner, ENDPOINT, "an endpoint mapping");
        if (f == null) {
            return null;
        }
        String host = f.get("host") == null ? null : walk.string(f.get("host"), at.key("host"), at, false);
        List<Integer> ports = ports(f, at, walk);
        Protocol protocol = Protocol.L4;
        if (f.get("protocol") != null) {
            At pAt = at.key("protocol");
            String p = walk.string(f.get("protocol"), pAt, at, false);
            if ("rest".equals(p)) {
                protocol = Protocol.REST;
            } else if (p != null) {
                walk.error(
                        f.get("protocol"),
                        pAt.yaml(),
                        "`protocol` must be `rest`, or omitted for L4 (got `" + p + "`)");
                walk.dirty(at);
            }
        }
        Enforcement enforcement = Enforcement.ENFORCE;
        if (f.get("enforcement") != null) {
            At eAt = at.key("enforcement");
            String e = walk.string(f.get("enforcement"), eAt, at, false);
            if ("audit".equals(e)) {
                enforcement = Enforcement.AUDIT;
            } else if (e != null && !e.equals("enforce")) {
                walk.error(f.get("enforcement"), eAt.yaml(), "`enforcement` must be one of enforce, audit");
                walk.dirty(at);
            }
        }
        Access access = null;
        if (f.get("access") != null) {
            At aAt = at.key("access");
            String a = walk.string(f.get("access"), aAt, at, false);
            access = Access.fromYaml(a);
            if (a != null && access == null) {
                walk.error(f.get("access"), aAt.yaml(), "`access` must be one of read-only, read-write, full");
                walk.dirty(at);
            }
        }
        List<HttpRule> rules = rules(f, "rules", at, walk);
        List<HttpRule> denyRules = rules(f, "deny_rules", at, walk);
        List<String> allowedIps = f.get("allowed_ips") == null
                ? List.of()
                : walk.strings(f.get("allowed_ips"), at.key("allowed_ips"), at);
        RequestLimits limits = f.get("request_limits") == null
                ? RequestLimits.NONE
                : requestLimits(f.get("request_limits"), at.key("request_limits"), at, walk);
        return new Endpoint(host, ports, protocol, enforcement, access, rules, denyRules, allowedIps, limits);
    }

    private static RequestLimits requestLimits(Node node, At at, At owner, Walk walk) {
        Fields f = walk.fields(
                node, at, owner, REQUEST_LIMITS, "a mapping with max_url_bytes, max_query_bytes, max_header_bytes");
        if (f == null) {
            return RequestLimits.NONE;
        }
        if (f.clean() && !f.keys().iterator().hasNext()) {
            walk.error(
                    node,
                    at.yaml(),
                    "`request_limits: {}` sets no limit; remove the key or set max_url_bytes, max_query_bytes or"
                            + " max_header_bytes");
            walk.dirty(owner);
        }
        return new RequestLimits(
                limit(f, "max_url_bytes", at, owner, walk),
                limit(f, "max_query_bytes", at, owner, walk),
                limit(f, "max_header_bytes", at, owner, walk));
    }

    private static Integer limit(Fields f, String key, At at, At owner, Walk walk) {
        Node node = f.get(key);
        return node == null ? null : walk.integer(node, at.key(key), owner);
    }

    private static List<Integer> ports(Fields f, At at, Walk walk) {
        List<Integer> out = new ArrayList<>();
        Node port = f.get("port");
        Node ports = f.get("ports");
        if (port != null && ports != null) {
            walk.error(f.keyNode("ports"), at.key("ports").yaml(), "use either `port` or `ports`, not both");
            walk.dirty(at);
        }
        if (port != null) {
            walk.record(at.key("ports", "port"), port);
            Integer p = walk.integer(port, new At(at.model() + ".ports[0]", at.yaml() + ".port"), at);
            if (p != null) {
                out.add(p);
            }
        } else if (ports != null) {
            At psAt = at.key("ports");
            List<Node> items = walk.sequence(ports, psAt, at, "a list of port numbers");
            if (items != null && items.isEmpty()) {
                walk.error(ports, psAt.yaml(), "`ports` lists no port; list at least one (1..65535)");
                walk.dirty(at);
            }
            for (int i = 0; items != null && i < items.size(); i++) {
                Integer p = walk.integer(items.get(i), psAt.item(out.size(), i), at);
                if (p != null) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static List<HttpRule> rules(Fields f, String key, At at, Walk walk) {
        List<HttpRule> out = new ArrayList<>();
        Node node = f.get(key);
        if (node == null) {
            return out;
        }
        At rAt = at.key(key);
        boolean allow = key.equals("rules");
        List<Node> items = walk.sequence(node, rAt, at, allow ? "a list of `{allow: {...}}` rules" : "a list of rules");
        if (items == null) {
            return out;
        }
        if (items.isEmpty()) {
            walk.error(node, rAt.yaml(), "`" + key + ": []` has no rule; remove the key or add a rule");
            walk.dirty(at);
        }
        for (int i = 0; i < items.size(); i++) {
            At itemAt = rAt.item(out.size(), i);
            HttpRule rule;
            if (allow) {
                Fields item = walk.fields(items.get(i), itemAt, at, RULE_ITEM, "`{allow: {method, path, query}}`");
                if (item == null) {
                    continue;
                }
                Node allowNode = walk.required(
                        item, "allow", items.get(i), itemAt, at, "a rule needs `allow: {method, path, query}`");
                if (allowNode == null) {
                    continue;
                }
                rule = rule(allowNode, itemAt.key("allow"), at, walk);
            } else {
                rule = rule(items.get(i), itemAt, at, walk);
            }
            if (rule != null) {
                out.add(rule);
            }
        }
        return out;
    }

    private static HttpRule rule(Node node, At at, At owner, Walk walk) {
        Fields f = walk.fields(node, at, owner, RULE, "a mapping with `method`, `path` and `query`");
        if (f == null) {
            return null;
        }
        String method = f.get("method") == null ? "*" : walk.string(f.get("method"), at.key("method"), at, false);
        String path = f.get("path") == null ? "/**" : walk.string(f.get("path"), at.key("path"), at, false);
        Map<String, QueryMatch> query = new LinkedHashMap<>();
        if (f.get("query") != null) {
            At qAt = at.key("query");
            Fields q = walk.fields(f.get("query"), qAt, at, null, "a mapping of parameter names to globs");
            for (String name : q == null ? List.<String>of() : q.keys()) {
                QueryMatch m = queryMatch(q.get(name), qAt.key(name), at, walk);
                if (m != null) {
                    query.put(name, m);
                }
            }
        }
        return new HttpRule(method == null ? "*" : method, path == null ? "/**" : path, query);
    }

    private static QueryMatch queryMatch(Node node, At at, At owner, Walk walk) {
        if (node instanceof ScalarNode) {
            String glob = walk.string(node, at, owner, true);
            return glob == null ? null : QueryMatch.glob(glob);
        }
        Fields f = walk.fields(node, at, owner, QUERY_ANY, "a glob or `{any: [glob, ...]}`");
        if (f == null) {
            return null;
        }
        if (walk.required(f, "any", node, at, owner, "expected `{any: [glob, ...]}`") == null) {
            return null;
        }
        At aAt = at.key("any");
        List<Node> items = walk.sequence(f.get("any"), aAt, owner, "a list of globs");
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            walk.error(f.get("any"), aAt.yaml(), "`any: []` matches nothing; list at least one glob");
            walk.dirty(owner);
            return null;
        }
        List<String> globs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String g = walk.string(items.get(i), aAt.item(globs.size(), i), owner, true);
            if (g != null) {
                globs.add(g);
            }
        }
        return globs.isEmpty() ? null : new QueryMatch(globs);
    }
}
