package dev.openshell.policy.validate;

import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.model.RequestLimits;
import dev.openshell.policy.net.Cidr;
import dev.openshell.policy.net.HostName;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Rules for one endpoint of a network policy. */
final class EndpointChecker {

    /** Ranges no {@code allowed_ips} entry may touch: the destination guard denies them always. */
    private static final List<Forbidden> FORBIDDEN = List.of(
            new Forbidden(Cidr.parse("127.0.0.0/8"), "loopback"),
            new Forbidden(Cidr.parse("::1/128"), "loopback"),
            new Forbidden(Cidr.parse("169.254.0.0/16"), "link-local"),
            new Forbidden(Cidr.parse("fe80::/10"), "link-local"),
            new Forbidden(Cidr.parse("0.0.0.0/8"), "unspecified"),
            new Forbidden(Cidr.parse("::/128"), "unspecified"));

    private record Forbidden(Cidr range, String kind) {}

    private EndpointChecker() {}

    static Endpoint check(Endpoint e, String at, Problems problems) {
        String host = host(e.host(), at + ".host", problems);
        List<Integer> ports = ports(e.ports(), at + ".ports", problems);
        List<String> allowedIps = allowedIps(e.allowedIps(), at + ".allowed_ips", problems);
        List<HttpRule> rules = new ArrayList<>();
        for (int i = 0; i < e.rules().size(); i++) {
            rules.add(HttpRuleChecker.check(e.rules().get(i), at + ".rules[" + i + "].allow", false, problems));
        }
        List<HttpRule> denyRules = new ArrayList<>();
        for (int i = 0; i < e.denyRules().size(); i++) {
            denyRules.add(HttpRuleChecker.check(e.denyRules().get(i), at + ".deny_rules[" + i + "]", true, problems));
        }
        requestLimits(e.requestLimits(), at + ".request_limits", problems);
        Protocol protocol = e.protocol() == null ? Protocol.L4 : e.protocol();
        Enforcement enforcement = e.enforcement() == null ? Enforcement.ENFORCE : e.enforcement();
        if (!problems.isDirty(at)) {
            crossField(e, at, problems);
        }
        return new Endpoint(
                host, ports, protocol, enforcement, e.access(), rules, denyRules, allowedIps, e.requestLimits());
    }

    private static void requestLimits(RequestLimits limits, String at, Problems problems) {
        bound(limits.maxUrlBytes(), 1, at + ".max_url_bytes", "the shortest URL, `/`, is 1 byte", problems);
        bound(limits.maxQueryBytes(), 0, at + ".max_query_bytes", "0 allows no query", problems);
        bound(limits.maxHeaderBytes(), 1, at + ".max_header_bytes", "every request has a Host header", problems);
    }

    private static void bound(Integer value, int min, String at, String why, Problems problems) {
        if (value != null && (value < min || value > RequestLimits.MAX)) {
            problems.add(
                    at,
                    value + " is out of range; expected " + min + ".." + RequestLimits.MAX + " bytes"
                            + (value < min ? " (" + why + ")" : ""));
        }
    }

    /** Rules that relate several fields; skipped when the YAML reader already reported this endpoint. */
    private static void crossField(Endpoint e, String at, Problems problems) {
        if (e.protocol() == null) {
            problems.add(at + ".protocol", "protocol is required; omit it in YAML for L4 or use `rest`");
        }
        if (e.enforcement() == null) {
            problems.add(at + ".enforcement", "enforcement is required: `enforce` or `audit`");
        }
        if (e.host() == null && e.allowedIps().isEmpty()) {
            problems.add(at + ".host", "`host` is required unless `allowed_ips` is given");
        }
        if (e.ports().isEmpty()) {
            problems.add(at + ".port", "`port` or `ports` is required (1..65535)");
        }
        boolean rest = e.protocol() == Protocol.REST;
        if (rest) {
            if (e.access() != null && !e.rules().isEmpty()) {
                problems.add(at + ".access", "`access` and `rules` are mutually exclusive; use one of them");
            } else if (e.access() == null && e.rules().isEmpty()) {
                problems.add(at, "`protocol: rest` needs `access` (read-only, read-write, full) or `rules`");
            }
        } else if (e.protocol() == Protocol.L4) {
            if (e.access() != null) {
                problems.add(at + ".access", "`access` needs `protocol: rest`");
            }
            if (!e.rules().isEmpty()) {
                problems.add(at + ".rules", "`rules` needs `protocol: rest`");
            }
            if (!e.denyRules().isEmpty()) {
                problems.add(at + ".deny_rules", "`deny_rules` needs `protocol: rest`");
            }
            if (!e.requestLimits().isEmpty()) {
                problems.add(
                        at + ".request_limits",
                        "`request_limits` needs `protocol: rest` (only inspected requests are measured)");
            }
            if (e.enforcement() == Enforcement.AUDIT) {
                problems.add(
                        at + ".enforcement", "`enforcement: audit` needs `protocol: rest` (audit is an L7 feature)");
            }
        }
    }

    private static String host(String host, String at, Problems problems) {
        if (host == null) {
            return null;
        }
        if (!PathRules.common(host, at, problems)) {
            return null;
        }
        try {
            String canonical = HostName.canonicalizePattern(host);
            problems.canonical(at, host, canonical);
            return canonical;
        } catch (IllegalArgumentException ex) {
            problems.add(at, "invalid host `" + host + "`: " + ex.getMessage());
            return null;
        }
    }

    private static List<Integer> ports(List<Integer> ports, String at, Problems problems) {
        TreeSet<Integer> valid = new TreeSet<>();
        boolean allValid = true;
        for (int i = 0; i < ports.size(); i++) {
            Integer port = ports.get(i);
            if (port == null || port < 1 || port > 65535) {
                problems.add(at + "[" + i + "]", "port " + port + " is out of range; expected 1..65535");
                allValid = false;
            } else {
                valid.add(port);
            }
        }
        List<Integer> canonical = List.copyOf(valid);
        if (allValid) {
            problems.canonical(at, ports, canonical);
        }
        return canonical;
    }

    private static List<String> allowedIps(List<String> ips, String at, Problems problems) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ips.size(); i++) {
            String entryAt = at + "[" + i + "]";
            String text = ips.get(i);
            if (text == null || !PathRules.common(text, entryAt, problems)) {
                if (text == null) {
                    problems.add(entryAt, "expected an IP address or CIDR");
                }
                continue;
            }
            Cidr cidr;
            try {
                cidr = Cidr.parse(text);
            } catch (IllegalArgumentException ex) {
                problems.add(entryAt, ex.getMessage());
                continue;
            }
            Forbidden hit = FORBIDDEN.stream()
                    .filter(f -> f.range().overlaps(cidr))
                    .findFirst()
                    .orElse(null);
            if (hit != null) {
                problems.add(
                        entryAt,
                        "`" + text + "` covers " + hit.range() + " (" + hit.kind()
                                + " addresses), which are never allowed; list only the private ranges the endpoint needs");
                continue;
            }
            problems.canonical(entryAt, text, cidr.toString());
            out.add(cidr.toString());
        }
        return out;
    }
}
