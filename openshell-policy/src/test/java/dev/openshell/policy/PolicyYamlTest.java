package dev.openshell.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.model.QueryMatch;
import dev.openshell.policy.model.RequestLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Canonical serialisation: exact shape, quoting, and parse/write identity. */
class PolicyYamlTest {

    static final String DESIGN_EXAMPLE = """
            version: 1
            filesystem_policy:
              include_workdir: true
              read_only: [/usr, /lib, /etc]
              read_write: [/tmp]
            landlock: { compatibility: best_effort }      # or hard_requirement
            process: { run_as_user: sandbox, run_as_group: sandbox }
            network_policies:
              github_readonly:                             # key; `name` optional display name
                endpoints:
                  - host: api.github.com                   # exact, or `*.x.com` / `**.x.com` in the first label
                    port: 443                              # or ports: [80, 443]
                    protocol: rest                         # omit for L4 only
                    enforcement: enforce                   # or audit
                    access: read-only                      # read-only | read-write | full  (xor rules)
                    deny_rules:
                      - { method: "*", path: "/repos/*/rulesets" }
                  - host: uploads.github.com
                    port: 443
                    protocol: rest
                    rules:
                      - allow: { method: POST, path: "/repos/**", query: { name: "*.tar.gz" } }
                binaries:
                  - { path: /usr/bin/gh }
                  - { path: "/usr/lib/node_modules/**" }   # glob; ancestors count too
            """;

    @Test
    void designExampleIsWrittenCanonically() {
        Policy p = PolicyParser.parse(DESIGN_EXAMPLE);
        assertThat(PolicyYaml.write(p)).isEqualTo("""
                        version: 1
                        filesystem_policy:
                          include_workdir: true
                          read_only:
                            - /usr
                            - /lib
                            - /etc
                          read_write:
                            - /tmp
                        landlock:
                          compatibility: best_effort
                        process:
                          run_as_user: sandbox
                          run_as_group: sandbox
                        network_policies:
                          github_readonly:
                            endpoints:
                              - host: api.github.com
                                port: 443
                                protocol: rest
                                access: read-only
                                deny_rules:
                                  - method: '*'
                                    path: /repos/*/rulesets
                              - host: uploads.github.com
                                port: 443
                                protocol: rest
                                rules:
                                  - allow:
                                      method: POST
                                      path: /repos/**
                                      query:
                                        name: '*.tar.gz'
                            binaries:
                              - path: /usr/bin/gh
                              - path: /usr/lib/node_modules/**
                        """);
        assertRoundTrip(p);
    }

    @Test
    void defaultsAndEmptyCollectionsAreWrittenOut() {
        assertThat(PolicyYaml.write(Policy.denyAll())).isEqualTo("""
                        version: 1
                        filesystem_policy:
                          include_workdir: true
                          read_only:
                            - /usr
                            - /lib
                            - /lib64
                            - /bin
                            - /sbin
                            - /etc
                          read_write:
                            - /tmp
                        landlock:
                          compatibility: best_effort
                        process:
                          run_as_user: sandbox
                          run_as_group: sandbox
                        network_policies: {}
                        """);
        assertRoundTrip(Policy.denyAll());
    }

    @Test
    void execFromWritableIsWrittenOnlyWhenTrue() {
        Policy opted =
                PolicyParser.parse("version: 1\nfilesystem_policy: { read_write: [/tmp], exec_from_writable: true }\n");

        assertThat(PolicyYaml.write(opted)).contains("""
                        filesystem_policy:
                          include_workdir: true
                          read_only: []
                          read_write:
                            - /tmp
                          exec_from_writable: true
                        landlock:
                        """);
        assertThat(PolicyYaml.write(Policy.denyAll())).doesNotContain("exec_from_writable");
        assertRoundTrip(opted);
    }

    @Test
    void endpointFieldsInFixedOrder() {
        Policy p = PolicyParser.parse("""
                version: 1
                network_policies:
                  db:
                    name: Database
                    binaries: [/usr/bin/psql]
                    endpoints:
                      - allowed_ips: [10.0.0.0/8, "fd00::/8"]
                        ports: [5433, 5432]
                      - rules: [{ allow: { method: get, path: /x, query: { a: { any: ["1", "2*"] }, b: "on" } } }]
                        enforcement: audit
                        protocol: rest
                        port: 443
                        host: "[2001:db8::1]"
                """);
        assertThat(PolicyYaml.write(p)).contains("""
                          db:
                            name: Database
                            endpoints:
                              - ports: [5432, 5433]
                                allowed_ips:
                                  - 10.0.0.0/8
                                  - fd00::/8
                              - host: 2001:db8::1
                                port: 443
                                protocol: rest
                                enforcement: audit
                                rules:
                                  - allow:
                                      method: GET
                                      path: /x
                                      query:
                                        a:
                                          any:
                                            - '1'
                                            - 2*
                                        b: 'on'
                            binaries:
                              - path: /usr/bin/psql
                        """);
        assertRoundTrip(p);
    }

    @Test
    void stringsThatNeedQuotingSurviveTheRoundTrip() {
        List<String> tricky = List.of(
                "yes",
                "no",
                "true",
                "null",
                "~",
                "123",
                "0x1f",
                "1.5",
                "*",
                "&a",
                "!tag",
                "- item",
                "a: b",
                "#comment",
                " leading",
                "trailing ",
                "multi\nline",
                "tab\there",
                "ünïcödé",
                "",
                "'single'",
                "\"double\"",
                "[x]",
                "{y}",
                "%percent",
                "@at",
                "`tick`",
                "a #b",
                "---",
                "...",
                "\u0007bell");
        Map<String, NetworkPolicy> policies = new LinkedHashMap<>();
        for (int i = 0; i < tricky.size(); i++) {
            String key = List.of("1.0", "true", "null", "-x", "a.b", "_", "0").get(i % 7) + i;
            policies.put(
                    key,
                    new NetworkPolicy(
                            key,
                            tricky.get(i),
                            List.of(new Endpoint(
                                    "h" + i + ".example",
                                    List.of(443),
                                    Protocol.REST,
                                    Enforcement.ENFORCE,
                                    null,
                                    List.of(new HttpRule(
                                            "*",
                                            "/"
                                                    + tricky.get(i)
                                                            .replace("\u0007", "")
                                                            .replace("\n", ""),
                                            Map.of("q", QueryMatch.glob(tricky.get(i))))),
                                    List.of(),
                                    List.of())),
                            List.of(new BinaryRef("/usr/bin/x"))));
        }
        Policy p = Policy.denyAll().withNetworkPolicies(policies);
        assertRoundTrip(p);
    }

    @Test
    void randomValidPoliciesRoundTrip() {
        Random random = new Random(20261127);
        for (int i = 0; i < 300; i++) {
            Policy p = RandomPolicies.generate(random);
            PolicyParser.validate(p);
            assertRoundTrip(p);
        }
    }

    private static void assertRoundTrip(Policy p) {
        String yaml = PolicyYaml.write(p);
        Policy reparsed = PolicyParser.parse(yaml);
        assertThat(reparsed).as("parse(write(p)) of%n%s", yaml).isEqualTo(p);
        assertThat(PolicyYaml.write(reparsed)).isEqualTo(yaml);
    }

    /** Valid, canonical policies built in code from pools of tricky but legal values. */
    static final class RandomPolicies {

        private static final List<String> HOSTS = List.of(
                "api.github.com",
                "*.example.com",
                "**.cdn.example.org",
                "xn--bcher-kva.example",
                "10.1.2.3",
                "2001:db8::1",
                "fd00::5",
                "my_service.internal",
                "a-b.c-d.example");
        private static final List<String> PATHS = List.of("/usr", "/lib", "/etc/ssl", "/", "/opt/tool", "/home/a b");
        private static final List<String> WRITABLE = List.of("/tmp", "/var/tmp", "/work", "/data/x");
        private static final List<String> BINARIES = List.of(
                "/usr/bin/curl",
                "/usr/bin/gh",
                "/usr/lib/node_modules/**",
                "/opt/*/bin/tool",
                "/usr/bin/python3.1[0-9]");
        private static final List<String> METHODS = List.of("*", "GET", "POST", "PUT", "DELETE", "PATCH", "X-CUSTOM");
        private static final List<String> RULE_PATHS =
                List.of("/**", "/repos/*/issues", "/a/?/b", "/x/[a-z]*", "/v1/**/items", "/\\*literal");
        private static final List<String> IPS =
                List.of("10.0.0.0/8", "192.168.1.0/24", "172.16.0.0/12", "fd00::/8", "100.64.0.0/10", "10.9.8.7/32");

        static Policy generate(Random r) {
            FilesystemPolicy fs =
                    new FilesystemPolicy(r.nextBoolean(), pick(r, PATHS, 3), pick(r, WRITABLE, 3), r.nextBoolean());
            LandlockPolicy landlock = new LandlockPolicy(LandlockPolicy.Compatibility.values()[r.nextInt(2)]);
            ProcessPolicy process = new ProcessPolicy(
                    List.of("sandbox", "agent", "1000", "_svc").get(r.nextInt(4)),
                    List.of("sandbox", "users", "1000").get(r.nextInt(3)));
            Map<String, NetworkPolicy> network = new LinkedHashMap<>();
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                String key = List.of("gh", "pypi.org", "allow_api_443", "Mixed-Case_1")
                                .get(r.nextInt(4))
                        + i;
                List<Endpoint> endpoints = new ArrayList<>();
                int m = 1 + r.nextInt(3);
                for (int j = 0; j < m; j++) {
                    endpoints.add(endpoint(r));
                }
                String name = r.nextBoolean()
                        ? null
                        : List.of("GitHub", "yes", "*", "a: b", "").get(r.nextInt(5));
                List<BinaryRef> binaries =
                        pick(r, BINARIES, 3).stream().map(BinaryRef::new).toList();
                if (binaries.isEmpty()) {
                    binaries = List.of(new BinaryRef("/usr/bin/env"));
                }
                network.put(key, new NetworkPolicy(key, name, endpoints, binaries));
            }
            return new Policy(1, fs, landlock, process, network);
        }

        private static Endpoint endpoint(Random r) {
            TreeSet<Integer> ports = new TreeSet<>();
            int count = 1 + r.nextInt(3);
            while (ports.size() < count) {
                ports.add(1 + r.nextInt(65535));
            }
            List<String> ips = r.nextInt(4) == 0 ? pick(r, IPS, 2) : List.of();
            String host = ips.isEmpty() || r.nextBoolean() ? HOSTS.get(r.nextInt(HOSTS.size())) : null;
            if (host == null && ips.isEmpty()) {
                ips = List.of("10.0.0.0/8");
            }
            if (!r.nextBoolean()) {
                return new Endpoint(
                        host, List.copyOf(ports), Protocol.L4, Enforcement.ENFORCE, null, List.of(), List.of(), ips);
            }
            Access access = r.nextBoolean() ? Access.values()[r.nextInt(3)] : null;
            List<HttpRule> rules = access != null ? List.of() : rules(r, 1 + r.nextInt(3));
            List<HttpRule> deny = r.nextBoolean() ? rules(r, 1 + r.nextInt(2)) : List.of();
            Enforcement enforcement = r.nextInt(4) == 0 ? Enforcement.AUDIT : Enforcement.ENFORCE;
            RequestLimits limits = r.nextInt(3) != 0
                    ? RequestLimits.NONE
                    : new RequestLimits(
                            r.nextBoolean() ? 1 + r.nextInt(8192) : null,
                            r.nextBoolean() ? r.nextInt(512) : null,
                            1 + r.nextInt(16384));
            return new Endpoint(host, List.copyOf(ports), Protocol.REST, enforcement, access, rules, deny, ips, limits);
        }

        private static List<HttpRule> rules(Random r, int n) {
            List<HttpRule> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Map<String, QueryMatch> query = new LinkedHashMap<>();
                if (r.nextInt(3) == 0) {
                    query.put("name", QueryMatch.glob("*.tar.gz"));
                }
                if (r.nextInt(3) == 0) {
                    query.put("v", new QueryMatch(List.of("1", "2", "true")));
                }
                out.add(new HttpRule(
                        METHODS.get(r.nextInt(METHODS.size())), RULE_PATHS.get(r.nextInt(RULE_PATHS.size())), query));
            }
            return out;
        }

        private static List<String> pick(Random r, List<String> pool, int max) {
            List<String> out = new ArrayList<>();
            int n = r.nextInt(max + 1);
            for (int i = 0; i < n; i++) {
                out.add(pool.get(r.nextInt(pool.size())));
            }
            return out;
        }
    }
}
