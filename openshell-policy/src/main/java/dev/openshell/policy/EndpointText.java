package dev.openshell.policy;

import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.model.QueryMatch;
import dev.openshell.policy.model.RequestLimits;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One-line forms of endpoints and network policies for diffs, e.g. {@code api.github.com:443 rest
 * read-only deny[* /repos/*&#47;rulesets]}.
 *
 * <p>The form is canonical: parts whose order does not change a decision (rules, deny rules,
 * allowed IPs, query parameters and their globs) are sorted, so two endpoints that decide alike
 * have the same text and a reordering is not reported as a change.
 */
final class EndpointText {

    private EndpointText() {}

    /** What identifies an endpoint across two versions: {@code HOST:PORTS} plus {@code rest}. */
    static String identity(Endpoint e) {
        String host = e.host() == null ? "(allowed_ips only)" : e.host();
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String ports = e.ports().size() == 1
                ? e.ports().getFirst().toString()
                : e.ports().stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        return h + ":" + ports + (e.protocol() == Protocol.REST ? " rest" : "");
    }

    /** The full canonical one-line form. */
    static String endpoint(Endpoint e) {
        StringBuilder sb = new StringBuilder(identity(e));
        if (e.enforcement() == Enforcement.AUDIT) {
            sb.append(" audit");
        }
        if (e.access() != null) {
            sb.append(' ').append(e.access().yaml());
        }
        if (!e.rules().isEmpty()) {
            sb.append(" allow").append(rules(e.rules()));
        }
        if (!e.denyRules().isEmpty()) {
            sb.append(" deny").append(rules(e.denyRules()));
        }
        if (!e.allowedIps().isEmpty()) {
            sb.append(" allowed_ips").append(sorted(e.allowedIps()));
        }
        if (!e.requestLimits().isEmpty()) {
            sb.append(" request_limits").append(limits(e.requestLimits()));
        }
        return sb.toString();
    }

    /** {@code ENDPOINT; ENDPOINT for BINARY, BINARY}, with the display name first if there is one. */
    static String policy(NetworkPolicy p) {
        String endpoints =
                p.endpoints().stream().map(EndpointText::endpoint).sorted().collect(Collectors.joining("; "));
        String binaries = p.binaries().stream().map(BinaryRef::path).sorted().collect(Collectors.joining(", "));
        return (p.name() == null ? "" : "\"" + p.name() + "\" ") + endpoints + " for " + binaries;
    }

    /** {@code METHOD PATH} plus {@code ?name=glob|glob&...} when the rule constrains the query. */
    static String rule(HttpRule r) {
        StringBuilder sb = new StringBuilder(r.method()).append(' ').append(r.path());
        if (!r.query().isEmpty()) {
            sb.append('?')
                    .append(r.query().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .map(q -> q.getKey() + "=" + globs(q.getValue()))
                            .collect(Collectors.joining("&")));
        }
        return sb.toString();
    }

    /** {@code [max_url_bytes=2048, max_header_bytes=4096]}: the bounds that are set, in schema order. */
    private static String limits(RequestLimits l) {
        List<String> set = new java.util.ArrayList<>();
        if (l.maxUrlBytes() != null) {
            set.add("max_url_bytes=" + l.maxUrlBytes());
        }
        if (l.maxQueryBytes() != null) {
            set.add("max_query_bytes=" + l.maxQueryBytes());
        }
        if (l.maxHeaderBytes() != null) {
            set.add("max_header_bytes=" + l.maxHeaderBytes());
        }
        return String.join(", ", set).transform(s -> "[" + s + "]");
    }

    private static String globs(QueryMatch m) {
        return m.anyOf().stream().sorted().collect(Collectors.joining("|"));
    }

    private static String rules(List<HttpRule> rules) {
        return sorted(rules.stream().map(EndpointText::rule).toList());
    }

    private static String sorted(List<String> items) {
        return items.stream().sorted().distinct().collect(Collectors.joining(", ", "[", "]"));
    }
}
