package dev.openshell.policy;

import static dev.openshell.policy.PolicyErrors.assertError;
import static dev.openshell.policy.PolicyErrors.errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.policy.model.Protocol;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link PolicyParser#validate} and {@link PolicyParser#normalize} on policies built in code. */
class PolicyValidateTest {

    private static Policy with(Endpoint endpoint) {
        return Policy.denyAll()
                .withNetworkPolicies(Map.of(
                        "p", new NetworkPolicy("p", null, List.of(endpoint), List.of(new BinaryRef("/usr/bin/curl")))));
    }

    private static Endpoint rest(String host, Access access, List<HttpRule> rules, List<HttpRule> deny) {
        return new Endpoint(host, List.of(443), Protocol.REST, Enforcement.ENFORCE, access, rules, deny, List.of());
    }

    @Test
    void parsedPoliciesAreValid() {
        assertThatNoException()
                .isThrownBy(() -> PolicyParser.validate(PolicyParser.parse(PolicyYamlTest.DESIGN_EXAMPLE)));
        assertThatNoException().isThrownBy(() -> PolicyParser.validate(Policy.denyAll()));
    }

    @Test
    void sameRulesAsParsingWithoutPositions() {
        Policy p = with(rest("*", Access.FULL, List.of(HttpRule.of("GET", "/x")), List.of()));
        List<PolicyError> e = errors(() -> PolicyParser.validate(p));
        assertThat(e).hasSize(2);
        assertError(e.get(0), "network_policies.p.endpoints[0].host", 0, 0, "a bare `*` would allow every host");
        assertError(
                e.get(1),
                "network_policies.p.endpoints[0].access",
                0,
                0,
                "`access` and `rules` are mutually exclusive");
    }

    @Test
    void l4EndpointsCannotCarryL7Settings() {
        Endpoint e = new Endpoint(
                "a.example",
                List.of(80),
                Protocol.L4,
                Enforcement.AUDIT,
                Access.FULL,
                List.of(),
                List.of(HttpRule.of("*", "/x")),
                List.of());
        assertThat(errors(() -> PolicyParser.validate(with(e))))
                .extracting(PolicyError::message)
                .containsExactly(
                        "`access` needs `protocol: rest`",
                        "`deny_rules` needs `protocol: rest`",
                        "`enforcement: audit` needs `protocol: rest` (audit is an L7 feature)");
    }

    @Test
    void staticSectionRules() {
        Policy p = new Policy(
                2,
                new FilesystemPolicy(true, List.of("relative"), List.of("/")),
                LandlockPolicy.DEFAULT,
                new ProcessPolicy("root", "0"),
                Map.of());
        assertThat(errors(() -> PolicyParser.validate(p)))
                .extracting(PolicyError::path)
                .containsExactly(
                        "version",
                        "filesystem_policy.read_only[0]",
                        "filesystem_policy.read_write[0]",
                        "process.run_as_user",
                        "process.run_as_group");
    }

    @Test
    void mapKeyMustMatchPolicyKeyAndListsMustNotBeEmpty() {
        Policy p =
                Policy.denyAll().withNetworkPolicies(Map.of("a", new NetworkPolicy("b", null, List.of(), List.of())));
        assertThat(errors(() -> PolicyParser.validate(p)))
                .extracting(PolicyError::message)
                .containsExactly(
                        "policy key `b` differs from its map key `a`",
                        "at least one endpoint is required",
                        "at least one binary is required, e.g. `- path: /usr/bin/curl`");
    }

    @Test
    void nonCanonicalValuesAreReportedAndNormalizeFixesThem() {
        Endpoint raw = new Endpoint(
                "API.Example.COM.",
                List.of(443, 80, 443),
                Protocol.REST,
                Enforcement.ENFORCE,
                null,
                List.of(HttpRule.of("get", "/x")),
                List.of(),
                List.of("10.1.2.3"));
        Policy p = new Policy(
                1,
                new FilesystemPolicy(true, List.of("/usr/"), List.of()),
                LandlockPolicy.DEFAULT,
                ProcessPolicy.DEFAULT,
                Map.of("p", new NetworkPolicy("p", null, List.of(raw), List.of(new BinaryRef("//usr/bin/curl")))));
        assertThat(errors(() -> PolicyParser.validate(p)))
                .extracting(PolicyError::path)
                .containsExactlyInAnyOrder(
                        "filesystem_policy.read_only[0]",
                        "network_policies.p.endpoints[0].host",
                        "network_policies.p.endpoints[0].ports",
                        "network_policies.p.endpoints[0].allowed_ips[0]",
                        "network_policies.p.endpoints[0].rules[0].allow.method",
                        "network_policies.p.binaries[0].path");
        assertThat(errors(() -> PolicyParser.validate(p)).getFirst().message())
                .contains("is not in canonical form; use");

        Policy canonical = PolicyParser.normalize(p);
        Endpoint e = canonical.networkPolicies().get("p").endpoints().getFirst();
        assertThat(e.host()).isEqualTo("api.example.com");
        assertThat(e.ports()).containsExactly(80, 443);
        assertThat(e.allowedIps()).containsExactly("10.1.2.3/32");
        assertThat(e.rules()).containsExactly(HttpRule.of("GET", "/x"));
        assertThat(canonical.filesystem().readOnly()).containsExactly("/usr");
        assertThat(canonical.networkPolicies().get("p").binaries()).containsExactly(new BinaryRef("/usr/bin/curl"));
        assertThatNoException().isThrownBy(() -> PolicyParser.validate(canonical));
        assertThat(PolicyParser.parse(PolicyYaml.write(canonical))).isEqualTo(canonical);
    }

    @Test
    void tooManyEndpoints() {
        List<Endpoint> many = java.util.stream.IntStream.rangeClosed(0, PolicyParser.MAX_ENDPOINTS)
                .mapToObj(i -> Endpoint.l4("h" + i + ".example", 443))
                .toList();
        Policy p = Policy.denyAll()
                .withNetworkPolicies(Map.of("p", new NetworkPolicy("p", null, many, List.of(new BinaryRef("/b")))));
        assertThat(errors(() -> PolicyParser.validate(p)))
                .singleElement()
                .satisfies(err -> assertError(err, "network_policies", 0, 0, "the policy has 10001 endpoints"));
    }
}
