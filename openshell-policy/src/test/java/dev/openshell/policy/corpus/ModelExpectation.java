package dev.openshell.policy.corpus;

import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a fixture's {@code expect_model} against a parsed policy: defaults and
 * canonicalisation (lower-cased hosts, sorted ports, normalised paths, upper-case methods).
 *
 * <p>Keys: {@code include_workdir}, {@code read_only}, {@code read_write}, {@code exec_from_writable},
 * {@code compatibility},
 * {@code run_as_user}, {@code run_as_group}, {@code network_policies} (keys in order), {@code
 * endpoint_count}, {@code names} (key to name), {@code binaries} (key to paths), and {@code
 * endpoints} (map {@code key[i]} to {@code host}, {@code ports}, {@code protocol}, {@code
 * enforcement}, {@code access}, {@code allowed_ips}, {@code rules}, {@code deny_rules}; a rule is
 * {@code {method, path, query: {name: [globs]}}}).
 */
final class ModelExpectation {

    private static final Set<String> KEYS = Set.of(
            "include_workdir",
            "read_only",
            "read_write",
            "exec_from_writable",
            "compatibility",
            "run_as_user",
            "run_as_group",
            "network_policies",
            "endpoint_count",
            "names",
            "binaries",
            "endpoints");
    private static final Set<String> ENDPOINT_KEYS =
            Set.of("host", "ports", "protocol", "enforcement", "access", "allowed_ips", "rules", "deny_rules");

    private ModelExpectation() {}

    /** Every difference between the expectation and {@code p}; empty when it matches. */
    static List<String> mismatches(Map<String, Object> expected, Policy p) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            Object want = e.getValue();
            switch (e.getKey()) {
                case "include_workdir" ->
                    compare(out, "include_workdir", want, p.filesystem().includeWorkdir());
                case "read_only" ->
                    compare(out, "read_only", want, p.filesystem().readOnly());
                case "read_write" ->
                    compare(out, "read_write", want, p.filesystem().readWrite());
                case "exec_from_writable" ->
                    compare(out, "exec_from_writable", want, p.filesystem().execFromWritable());
                case "compatibility" ->
                    compare(
                            out,
                            "compatibility",
                            want,
                            p.landlock().compatibility().yaml());
                case "run_as_user" ->
                    compare(out, "run_as_user", want, p.process().runAsUser());
                case "run_as_group" ->
                    compare(out, "run_as_group", want, p.process().runAsGroup());
                case "network_policies" ->
                    compare(
                            out,
                            "network_policies",
                            want,
                            List.copyOf(p.networkPolicies().keySet()));
                case "endpoint_count" -> compare(out, "endpoint_count", want, p.endpointCount());
                case "names" ->
                    CorpusLoader.map(want, "names")
                            .forEach((k, v) ->
                                    compare(out, "names." + k, v, policy(p, k).name()));
                case "binaries" ->
                    CorpusLoader.map(want, "binaries")
                            .forEach((k, v) -> compare(
                                    out,
                                    "binaries." + k,
                                    v,
                                    policy(p, k).binaries().stream()
                                            .map(BinaryRef::path)
                                            .toList()));
                case "endpoints" ->
                    CorpusLoader.map(want, "endpoints")
                            .forEach((ref, v) -> endpoint(out, ref, CorpusLoader.map(v, ref), p));
                default ->
                    throw new IllegalArgumentException("unknown expect_model key " + e.getKey() + "; known " + KEYS);
            }
        }
        return out;
    }

    private static void endpoint(List<String> out, String ref, Map<String, Object> want, Policy p) {
        int open = ref.indexOf('[');
        String key = ref.substring(0, open);
        int index = Integer.parseInt(ref.substring(open + 1, ref.length() - 1));
        List<Endpoint> endpoints = policy(p, key).endpoints();
        if (index >= endpoints.size()) {
            out.add(ref + ": no such endpoint");
            return;
        }
        Endpoint ep = endpoints.get(index);
        for (Map.Entry<String, Object> e : want.entrySet()) {
            String what = ref + "." + e.getKey();
            Object w = e.getValue();
            switch (e.getKey()) {
                case "host" -> compare(out, what, w, ep.host());
                case "ports" -> compare(out, what, w, ep.ports());
                case "protocol" ->
                    compare(
                            out,
                            what,
                            w,
                            ep.protocol().yaml() == null ? "l4" : ep.protocol().yaml());
                case "enforcement" -> compare(out, what, w, ep.enforcement().yaml());
                case "access" ->
                    compare(
                            out,
                            what,
                            w,
                            ep.access() == null ? null : ep.access().yaml());
                case "allowed_ips" -> compare(out, what, w, ep.allowedIps());
                case "rules" -> compare(out, what, normaliseRules(w), rules(ep.rules()));
                case "deny_rules" -> compare(out, what, normaliseRules(w), rules(ep.denyRules()));
                default ->
                    throw new IllegalArgumentException(
                            "unknown endpoint key " + e.getKey() + "; known " + ENDPOINT_KEYS);
            }
        }
    }

    private static NetworkPolicy policy(Policy p, String key) {
        NetworkPolicy np = p.networkPolicies().get(key);
        if (np == null) {
            throw new AssertionError("parsed policy has no network policy `" + key + "`: "
                    + p.networkPolicies().keySet());
        }
        return np;
    }

    private static List<Map<String, Object>> rules(List<HttpRule> rules) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (HttpRule r : rules) {
            Map<String, Object> query = new LinkedHashMap<>();
            r.query().forEach((k, v) -> query.put(k, v.anyOf()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", r.method());
            m.put("path", r.path());
            m.put("query", query);
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, Object>> normaliseRules(Object want) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : CorpusLoader.list(want, "rules")) {
            Map<String, Object> m = new LinkedHashMap<>(CorpusLoader.map(o, "rule"));
            Map<String, Object> query = new LinkedHashMap<>();
            if (m.get("query") != null) {
                CorpusLoader.map(m.get("query"), "query").forEach((k, v) -> query.put(k, CorpusLoader.strings(v)));
            }
            m.put("query", query);
            out.add(m);
        }
        return out;
    }

    private static void compare(List<String> out, String what, Object want, Object actual) {
        if (!Objects.equals(want, actual)) {
            out.add(what + " is " + actual + ", expected " + want);
        }
    }
}
