package dev.openshell.policy;

import static dev.openshell.policy.PolicyErrors.assertError;
import static dev.openshell.policy.PolicyErrors.errors;
import static dev.openshell.policy.PolicyErrors.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.QueryMatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and validation of {@code network_policies}: policies, endpoints, rules, addresses. */
class NetworkPolicyParsingTest {

    private static final String E = "network_policies.p.endpoints[0]";

    /**
     * A document whose policy {@code p} has one endpoint made of {@code lines}: the first on line
     * 5, the rest on the following lines, every key at column 9.
     */
    private static String endpoint(String... lines) {
        StringBuilder sb = new StringBuilder("version: 1\nnetwork_policies:\n  p:\n    endpoints:\n");
        for (int i = 0; i < lines.length; i++) {
            sb.append(i == 0 ? "      - " : "        ").append(lines[i]).append('\n');
        }
        return sb.append("    binaries: [/usr/bin/curl]\n").toString();
    }

    private static Endpoint parseEndpoint(String... lines) {
        return PolicyParser.parse(endpoint(lines))
                .networkPolicies()
                .get("p")
                .endpoints()
                .getFirst();
    }

    @Test
    void l4EndpointDefaults() {
        Endpoint e = parseEndpoint("host: example.com", "port: 443");
        assertThat(e).isEqualTo(Endpoint.l4("example.com", 443));
    }

    @Test
    void hostsAreCanonicalised() {
        assertThat(parseEndpoint("host: API.GitHub.com.", "port: 443").host()).isEqualTo("api.github.com");
        assertThat(parseEndpoint("host: bücher.example", "port: 443").host()).isEqualTo("xn--bcher-kva.example");
        assertThat(parseEndpoint("host: \"[2001:DB8:0:0:0:0:0:1]\"", "port: 443")
                        .host())
                .isEqualTo("2001:db8::1");
        assertThat(parseEndpoint("host: \"2001:db8::1\"", "port: 443").host()).isEqualTo("2001:db8::1");
        assertThat(parseEndpoint("host: 10.0.0.1", "port: 443", "allowed_ips: [10.0.0.1]")
                        .host())
                .isEqualTo("10.0.0.1");
        assertThat(parseEndpoint("host: \"*.Example.COM\"", "port: 443").host()).isEqualTo("*.example.com");
        assertThat(parseEndpoint("host: \"**.example.com\"", "port: 443").host())
                .isEqualTo("**.example.com");
        assertThat(parseEndpoint("host: my_service.internal.example", "port: 443")
                        .host())
                .isEqualTo("my_service.internal.example");
    }

    @Test
    void invalidHostsAreRejected() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("\"*\"", "a bare `*` would allow every host"),
                Map.entry("\"**\"", "a bare `**` would allow every host"),
                Map.entry("\"*.com\"", "a wildcard over the top-level domain `com` would match too much"),
                Map.entry("\"**.com\"", "the part after the wildcard needs at least two labels"),
                Map.entry("\"api.*.com\"", "a wildcard is allowed only as the whole first label"),
                Map.entry("\"a*.example.com\"", "a wildcard is allowed only as the whole first label"),
                Map.entry("\"*.10.0.0.1\"", "a wildcard cannot be combined with an IP address"),
                Map.entry("\"*.[::1]\"", "a wildcard cannot be combined with an IP address"),
                Map.entry("exa mple.com", "labels may contain only letters, digits, `-` and `_`"),
                Map.entry("a..example.com", "empty label"),
                Map.entry("256.1.1.1", "is neither a valid IPv4 address nor a host name"),
                Map.entry("\"2001:db8::zz\"", "is not a valid IPv6 address"),
                Map.entry("" + "a".repeat(64) + ".example.com", "longer than 63 characters"));
        cases.forEach((host, message) -> {
            PolicyError e = only(endpoint("host: " + host, "port: 443"));
            assertError(e, E + ".host", 5, 15, message);
            assertThat(e.message()).startsWith("invalid host `");
        });
    }

    @Test
    void hostIsRequiredUnlessAllowedIpsAreGiven() {
        assertError(only(endpoint("port: 443")), E + ".host", 5, 9, "`host` is required unless `allowed_ips` is given");
        Endpoint byAddress = parseEndpoint("port: 5432", "allowed_ips: [10.1.0.0/16]");
        assertThat(byAddress.host()).isNull();
        assertThat(byAddress.allowedIps()).containsExactly("10.1.0.0/16");
    }

    @Test
    void portsAreSortedAndDistinct() {
        assertThat(parseEndpoint("host: a.example", "ports: [443, 80, 443]").ports())
                .containsExactly(80, 443);
        assertThat(parseEndpoint("host: a.example", "port: 8080").ports()).containsExactly(8080);
    }

    @Test
    void portRules() {
        assertError(
                only(endpoint("host: a.example", "port: 0")),
                E + ".port",
                6,
                15,
                "port 0 is out of range; expected 1..65535");
        assertError(
                only(endpoint("host: a.example", "ports: [80, 65536]")),
                E + ".ports[1]",
                6,
                21,
                "port 65536 is out of range");
        assertError(only(endpoint("host: a.example")), E + ".port", 5, 9, "`port` or `ports` is required");
        assertError(
                only(endpoint("host: a.example", "port: 80", "ports: [443]")),
                E + ".ports",
                7,
                9,
                "use either `port` or `ports`, not both");
        assertError(only(endpoint("host: a.example", "ports: []")), E + ".ports", 6, 16, "`ports` lists no port");
        assertError(
                only(endpoint("host: a.example", "port: \"443\"")),
                E + ".port",
                6,
                15,
                "expected an integer, got a string");
        assertError(
                only(endpoint("host: a.example", "port: 0x1bb")),
                E + ".port",
                6,
                15,
                "expected a decimal integer, got `0x1bb`");
        assertError(only(endpoint("host: a.example", "port: 99999999999")), E + ".port", 6, 15, "out of range");
    }

    @Test
    void protocolEnforcementAndAccessSpellings() {
        assertError(
                only(endpoint("host: a.example", "port: 443", "protocol: grpc")),
                E + ".protocol",
                7,
                19,
                "`protocol` must be `rest`, or omitted for L4");
        assertError(
                only(endpoint("host: a.example", "port: 443", "protocol: rest", "access: full", "enforcement: log")),
                E + ".enforcement",
                9,
                22,
                "`enforcement` must be one of enforce, audit");
        assertError(
                only(endpoint("host: a.example", "port: 443", "protocol: rest", "access: admin")),
                E + ".access",
                8,
                17,
                "`access` must be one of read-only, read-write, full");
    }

    @Test
    void restEndpointsNeedAccessXorRules() {
        assertError(
                only(endpoint("host: a.example", "port: 443", "protocol: rest")),
                E,
                5,
                9,
                "`protocol: rest` needs `access` (read-only, read-write, full) or `rules`");
        assertError(
                only(endpoint(
                        "host: a.example",
                        "port: 443",
                        "protocol: rest",
                        "access: full",
                        "rules: [{allow: {method: GET}}]")),
                E + ".access",
                8,
                17,
                "`access` and `rules` are mutually exclusive");
        Endpoint audit = parseEndpoint(
                "host: a.example", "port: 443", "protocol: rest", "enforcement: audit", "access: read-only");
        assertThat(audit.enforcement()).isEqualTo(Enforcement.AUDIT);
        assertThat(audit.access()).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void l7FieldsNeedProtocolRest() {
        assertError(
                only(endpoint("host: a.example", "port: 443", "access: full")),
                E + ".access",
                7,
                17,
                "`access` needs `protocol: rest`");
        assertError(
                only(endpoint("host: a.example", "port: 443", "rules: [{allow: {path: /x}}]")),
                E + ".rules",
                7,
                16,
                "`rules` needs `protocol: rest`");
        assertError(
                only(endpoint("host: a.example", "port: 443", "deny_rules: [{path: /x}]")),
                E + ".deny_rules",
                7,
                21,
                "`deny_rules` needs `protocol: rest`");
        assertError(
                only(endpoint("host: a.example", "port: 443", "enforcement: audit")),
                E + ".enforcement",
                7,
                22,
                "`enforcement: audit` needs `protocol: rest`");
    }

    @Test
    void emptyRuleListsAreRejected() {
        assertError(
                only(endpoint("host: a.example", "port: 443", "protocol: rest", "rules: []")),
                E + ".rules",
                8,
                16,
                "`rules: []` has no rule; remove the key or add a rule");
        assertError(
                only(endpoint("host: a.example", "port: 443", "protocol: rest", "access: full", "deny_rules: []")),
                E + ".deny_rules",
                9,
                21,
                "`deny_rules: []` has no rule; remove the key or add a rule");
    }

    @Test
    void rulesAreReadWithDefaults() {
        Endpoint e = parseEndpoint(
                "host: a.example",
                "port: 443",
                "protocol: rest",
                "rules:",
                "  - allow: { method: post, path: \"/repos/**\", query: { name: \"*.tar.gz\", tag: { any: [v1, v2] } } }",
                "  - allow: {}",
                "deny_rules:",
                "  - { path: /admin }");
        assertThat(e.rules())
                .containsExactly(
                        new HttpRule(
                                "POST",
                                "/repos/**",
                                Map.of(
                                        "name",
                                        QueryMatch.glob("*.tar.gz"),
                                        "tag",
                                        new QueryMatch(List.of("v1", "v2")))),
                        HttpRule.of("*", "/**"));
        assertThat(e.denyRules()).containsExactly(HttpRule.of("*", "/admin"));
    }

    @Test
    void ruleFieldRules() {
        String rules = "rules:";
        List<PolicyError> e = errors(endpoint(
                "host: a.example",
                "port: 443",
                "protocol: rest",
                rules,
                "  - allow: { method: \"GE T\", path: repos }",
                "  - allow: { query: { q: { any: [] } } }",
                "  - deny: { path: /x }",
                "  - allow: { path: \"/a[b\" }"));
        assertThat(e).hasSize(5);
        assertError(e.get(0), E + ".rules[0].allow.method", 9, 30, "`GE T` is not an HTTP method");
        assertError(e.get(1), E + ".rules[0].allow.path", 9, 44, "`repos` must start with `/`");
        assertError(e.get(2), E + ".rules[1].allow.query.q.any", 10, 41, "`any: []` matches nothing");
        assertError(e.get(3), E + ".rules[2].deny", 11, 13, "unknown key `deny`; expected one of allow");
        assertError(e.get(4), E + ".rules[3].allow.path", 12, 28, "has a `[` without a closing `]`");
    }

    @Test
    void allowedIpsAreCanonicalAndNeverCoverGuardedRanges() {
        assertThat(parseEndpoint(
                                "host: db.internal.example",
                                "port: 5432",
                                "allowed_ips: [10.1.2.3, \"FD00::/8\", 192.168.0.0/16]")
                        .allowedIps())
                .containsExactly("10.1.2.3/32", "fd00::/8", "192.168.0.0/16");
        Map<String, String> rejected = Map.of(
                "0.0.0.0/0", "covers 127.0.0.0/8 (loopback addresses), which are never allowed",
                "127.0.0.1", "covers 127.0.0.0/8 (loopback",
                "169.254.169.254", "covers 169.254.0.0/16 (link-local",
                "\"fe80::1\"", "covers fe80::/10 (link-local",
                "\"::/0\"", "covers ::1/128 (loopback",
                "0.1.2.3", "covers 0.0.0.0/8 (unspecified",
                "10.0.0.1/8", "has host bits set; the network is `10.0.0.0/8`",
                "10.0.0.0/33", "prefix length 33; expected 0..32",
                "db.example", "is not an IP address or CIDR");
        rejected.forEach((ip, message) -> assertError(
                only(endpoint("host: db.example", "port: 5432", "allowed_ips: [" + ip + "]")),
                E + ".allowed_ips[0]",
                7,
                23,
                message));
    }

    @Test
    void binaries() {
        Policy p = PolicyParser.parse("""
                version: 1
                network_policies:
                  p:
                    endpoints: [{ host: a.example, port: 443 }]
                    binaries:
                      - /usr/bin/curl
                      - { path: "/usr/lib/node_modules/**" }
                      - path: /opt/tool/
                """);
        assertThat(p.networkPolicies().get("p").binaries())
                .containsExactly(
                        new BinaryRef("/usr/bin/curl"),
                        new BinaryRef("/usr/lib/node_modules/**"),
                        new BinaryRef("/opt/tool"));
        List<PolicyError> e = errors("""
                version: 1
                network_policies:
                  p:
                    endpoints: [{ host: a.example, port: 443 }]
                    binaries:
                      - bin/curl
                      - { path: /usr/../bin/sh }
                      - { name: x }
                """);
        assertThat(e).hasSize(3);
        assertError(e.get(0), "network_policies.p.binaries[0]", 6, 9, "is not absolute");
        assertError(e.get(1), "network_policies.p.binaries[1].path", 7, 17, "contains a `..` segment");
        assertError(e.get(2), "network_policies.p.binaries[2].name", 8, 11, "unknown key `name`; expected one of path");
    }

    @Test
    void policyKeysAndRequiredLists() {
        List<PolicyError> e = errors("""
                version: 1
                network_policies:
                  "bad key!":
                    endpoints: [{ host: a.example, port: 443 }]
                    binaries: [/usr/bin/curl]
                  no_binaries:
                    endpoints: [{ host: a.example, port: 443 }]
                  no_endpoints:
                    endpoints: []
                    binaries: [/usr/bin/curl]
                """);
        assertThat(e).hasSize(3);
        assertError(e.get(0), "network_policies.bad key!", 3, 3, "policy key `bad key!` is invalid");
        assertError(e.get(1), "network_policies.no_binaries.binaries", 7, 5, "at least one binary is required");
        assertError(e.get(2), "network_policies.no_endpoints.endpoints", 9, 16, "at least one endpoint is required");
    }

    @Test
    void networkPolicyOrderAndNamesArePreserved() {
        Policy p = PolicyParser.parse("""
                version: 1
                network_policies:
                  zeta: { name: Last one, endpoints: [{ host: z.example, port: 1 }], binaries: [/z] }
                  alpha: { endpoints: [{ host: a.example, port: 2 }], binaries: [/a] }
                """);
        assertThat(p.networkPolicies().keySet()).containsExactly("zeta", "alpha");
        assertThat(p.networkPolicies().get("zeta").name()).isEqualTo("Last one");
        assertThat(p.networkPolicies().get("alpha").name()).isNull();
    }

    @Test
    void structuralErrorsDoNotCascadeIntoRuleErrors() {
        // protocol is misspelt: no extra "access needs protocol: rest" error for the same endpoint.
        assertThat(errors(endpoint("host: a.example", "port: 443", "protocol: http", "access: full")))
                .hasSize(1);
        // an unknown key in an endpoint: reported once, not also as "rest needs access".
        assertError(
                only(endpoint("host: a.example", "port: 443", "protocol: rest", "acess: full")),
                E + ".acess",
                8,
                9,
                "did you mean `access`?");
    }
}
