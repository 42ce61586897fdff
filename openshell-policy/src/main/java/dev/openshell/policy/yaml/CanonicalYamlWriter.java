package dev.openshell.policy.yaml;

import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.model.QueryMatch;
import dev.openshell.policy.model.RequestLimits;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Builds the canonical YAML node tree of a policy and lets SnakeYAML's emitter print it, so
 * quoting (e.g. {@code '*'}, {@code 'true'}) always keeps the text re-parseable (internal; use
 * {@link dev.openshell.policy.PolicyYaml}).
 */
public final class CanonicalYamlWriter {

    private CanonicalYamlWriter() {}

    public static String write(Policy policy) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setSplitLines(false);
        options.setWidth(Integer.MAX_VALUE / 2);
        options.setExplicitStart(false);
        StringWriter out = new StringWriter();
        new Yaml(options).serialize(document(policy), out);
        return out.toString();
    }

    private static Node document(Policy p) {
        Entries doc = new Entries();
        doc.put("version", integer(p.version()));
        Entries fs = new Entries();
        fs.put("include_workdir", bool(p.filesystem().includeWorkdir()));
        fs.put("read_only", strings(p.filesystem().readOnly()));
        fs.put("read_write", strings(p.filesystem().readWrite()));
        if (p.filesystem().execFromWritable()) {
            // Written only when set: the unsafe choice stands out, the default stays implicit.
            fs.put("exec_from_writable", bool(true));
        }
        doc.put("filesystem_policy", fs.node());
        Entries landlock = new Entries();
        landlock.put("compatibility", string(p.landlock().compatibility().yaml()));
        doc.put("landlock", landlock.node());
        Entries process = new Entries();
        process.put("run_as_user", string(p.process().runAsUser()));
        process.put("run_as_group", string(p.process().runAsGroup()));
        doc.put("process", process.node());
        Entries network = new Entries();
        for (Map.Entry<String, NetworkPolicy> e : p.networkPolicies().entrySet()) {
            network.put(e.getKey(), policy(e.getValue()));
        }
        doc.put("network_policies", network.node());
        return doc.node();
    }

    private static Node policy(NetworkPolicy p) {
        Entries out = new Entries();
        if (p.name() != null) {
            out.put("name", string(p.name()));
        }
        List<Node> endpoints = new ArrayList<>();
        for (Endpoint e : p.endpoints()) {
            endpoints.add(endpoint(e));
        }
        out.put("endpoints", list(endpoints, DumperOptions.FlowStyle.BLOCK));
        List<Node> binaries = new ArrayList<>();
        for (BinaryRef b : p.binaries()) {
            Entries binary = new Entries();
            binary.put("path", string(b.path()));
            binaries.add(binary.node());
        }
        out.put("binaries", list(binaries, DumperOptions.FlowStyle.BLOCK));
        return out.node();
    }

    private static Node endpoint(Endpoint e) {
        Entries out = new Entries();
        if (e.host() != null) {
            out.put("host", string(e.host()));
        }
        if (e.ports().size() == 1) {
            out.put("port", integer(e.ports().getFirst()));
        } else {
            List<Node> ports = new ArrayList<>();
            e.ports().forEach(port -> ports.add(integer(port)));
            out.put("ports", list(ports, DumperOptions.FlowStyle.FLOW));
        }
        if (e.protocol() == Protocol.REST) {
            out.put("protocol", string(Protocol.REST.yaml()));
        }
        if (e.enforcement() == Enforcement.AUDIT) {
            out.put("enforcement", string(Enforcement.AUDIT.yaml()));
        }
        if (e.access() != null) {
            out.put("access", string(e.access().yaml()));
        }
        if (!e.rules().isEmpty()) {
            List<Node> rules = new ArrayList<>();
            for (HttpRule r : e.rules()) {
                Entries item = new Entries();
                item.put("allow", rule(r));
                rules.add(item.node());
            }
            out.put("rules", list(rules, DumperOptions.FlowStyle.BLOCK));
        }
        if (!e.denyRules().isEmpty()) {
            List<Node> rules = new ArrayList<>();
            e.denyRules().forEach(r -> rules.add(rule(r)));
            out.put("deny_rules", list(rules, DumperOptions.FlowStyle.BLOCK));
        }
        if (!e.allowedIps().isEmpty()) {
            out.put("allowed_ips", strings(e.allowedIps()));
        }
        RequestLimits limits = e.requestLimits();
        if (!limits.isEmpty()) {
            Entries bounds = new Entries();
            if (limits.maxUrlBytes() != null) {
                bounds.put("max_url_bytes", integer(limits.maxUrlBytes()));
            }
            if (limits.maxQueryBytes() != null) {
                bounds.put("max_query_bytes", integer(limits.maxQueryBytes()));
            }
            if (limits.maxHeaderBytes() != null) {
                bounds.put("max_header_bytes", integer(limits.maxHeaderBytes()));
            }
            out.put("request_limits", bounds.node());
        }
        return out.node();
    }

    private static Node rule(HttpRule r) {
        Entries out = new Entries();
        out.put("method", string(r.method()));
        out.put("path", string(r.path()));
        if (!r.query().isEmpty()) {
            Entries query = new Entries();
            for (Map.Entry<String, QueryMatch> q : r.query().entrySet()) {
                List<String> globs = q.getValue().anyOf();
                if (globs.size() == 1) {
                    query.put(q.getKey(), string(globs.getFirst()));
                } else {
                    Entries any = new Entries();
                    any.put("any", strings(globs));
                    query.put(q.getKey(), any.node());
                }
            }
            out.put("query", query.node());
        }
        return out.node();
    }

    private static Node strings(List<String> values) {
        List<Node> nodes = new ArrayList<>();
        values.forEach(v -> nodes.add(string(v)));
        return list(nodes, DumperOptions.FlowStyle.BLOCK);
    }

    private static Node list(List<Node> items, DumperOptions.FlowStyle style) {
        return new SequenceNode(Tag.SEQ, items, items.isEmpty() ? DumperOptions.FlowStyle.FLOW : style);
    }

    private static ScalarNode string(String value) {
        return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    private static ScalarNode bool(boolean value) {
        return new ScalarNode(Tag.BOOL, Boolean.toString(value), null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    private static ScalarNode integer(int value) {
        return new ScalarNode(Tag.INT, Integer.toString(value), null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    /** An ordered mapping under construction. */
    private static final class Entries {
        private final List<NodeTuple> tuples = new ArrayList<>();

        void put(String key, Node value) {
            tuples.add(new NodeTuple(string(key), value));
        }

        Node node() {
            return new MappingNode(
                    Tag.MAP, tuples, tuples.isEmpty() ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
        }
    }
}
