package dev.openshell.policy;

import static dev.openshell.policy.UpdateFixtures.l4;
import static dev.openshell.policy.UpdateFixtures.net;
import static dev.openshell.policy.UpdateFixtures.policy;
import static dev.openshell.policy.UpdateFixtures.rest;
import static dev.openshell.policy.UpdateFixtures.restPorts;
import static dev.openshell.policy.UpdateFixtures.rules;
import static dev.openshell.policy.UpdateFixtures.withDeny;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyUpdate;
import dev.openshell.policy.model.Protocol;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** {@code --add-allow} and {@code --add-deny}. */
class PolicyRuleUpdatesTest {

    private static final String GH = "/usr/bin/gh";
    private static final String CURL = "/usr/bin/curl";
    private static final HttpRule POST_REPOS = HttpRule.of("POST", "/repos/**");

    private static Policy apply(Policy policy, PolicyUpdate... updates) {
        return PolicyUpdates.apply(policy, List.of(updates));
    }

    private static Policy applyIdempotent(Policy policy, PolicyUpdate... updates) {
        Policy once = apply(policy, updates);
        assertThat(apply(once, updates)).isEqualTo(once);
        return once;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertUpdateFails(
            Policy policy, PolicyUpdate update) {
        return assertThatThrownBy(() -> apply(policy, update))
                .isInstanceOfSatisfying(
                        PolicyException.class, e -> assertThat(e.code()).isEqualTo(PolicyUpdates.INVALID));
    }

    private static PolicyUpdate allow(String spec, String binary) {
        return PolicyUpdates.parseAddAllow(spec, binary);
    }

    private static PolicyUpdate deny(String spec, String binary) {
        return PolicyUpdates.parseAddDeny(spec, binary);
    }

    // --- AddAllow ---

    @Test
    void withoutARestEndpointForTheBinaryANewPolicyIsCreated() {
        Policy after = applyIdempotent(Policy.denyAll(), allow("api.github.com:443 POST /repos/**", GH));

        assertThat(after.networkPolicies().get("allow_api_github_com_443"))
                .isEqualTo(net("allow_api_github_com_443", List.of(rules("api.github.com", 443, POST_REPOS)), GH));
    }

    @Test
    void appendsToTheRulesOfTheBinarysEndpoint() {
        Policy before = policy(net("gh", List.of(rules("api.github.com", 443, HttpRule.of("GET", "/**"))), GH));

        Policy after = applyIdempotent(before, allow("api.github.com:443:POST:/repos/**", GH));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(rules("api.github.com", 443, HttpRule.of("GET", "/**"), POST_REPOS));
    }

    @Test
    void onlyTheAddressedPortOfAMultiPortEndpointGetsTheRule() {
        Endpoint both = new Endpoint(
                "api.github.com",
                List.of(443, 8443),
                Protocol.REST,
                Enforcement.ENFORCE,
                null,
                List.of(HttpRule.of("GET", "/**")),
                List.of(),
                List.of());
        Policy before = policy(net("gh", List.of(both), GH));

        Policy after = applyIdempotent(before, allow("api.github.com:8443 POST /repos/**", GH));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(
                        rules("api.github.com", 443, HttpRule.of("GET", "/**")),
                        rules("api.github.com", 8443, HttpRule.of("GET", "/**"), POST_REPOS));
    }

    @Test
    void anEndpointWithAnAccessPresetTakesNoRules() {
        Policy before = policy(net("gh", List.of(rest("api.github.com", 443, Access.READ_ONLY)), GH));

        assertUpdateFails(before, allow("api.github.com:443 POST /repos/**", GH))
                .hasMessage("endpoint api.github.com:443 in policy gh uses access: read-only, which takes no"
                        + " allow rules; widen the preset with --add-endpoint api.github.com:443:read-write:rest"
                        + " for policy gh, or replace access with rules in the policy file");
    }

    @Test
    void aMethodThePresetAllowsIsReportedAsAlreadyAllowed() {
        Policy before = policy(net("gh", List.of(rest("api.github.com", 443, Access.READ_ONLY)), GH));

        assertUpdateFails(before, allow("api.github.com:443 GET /repos/**", GH))
                .hasMessage("endpoint api.github.com:443 in policy gh uses access: read-only, which already"
                        + " allows GET; there is no allow rule to add");
    }

    @Test
    void anL4EndpointAlreadyAllowsEveryRequest() {
        Policy before = policy(net("gh", List.of(l4("api.github.com", 443)), GH));

        assertUpdateFails(before, allow("api.github.com:443 POST /", GH))
                .hasMessage("policy gh already allows /usr/bin/gh every request to api.github.com:443"
                        + " (the endpoint has no protocol: rest); an allow rule would change nothing");
    }

    @Test
    void binariesMatchByExactPathNotByGlob() {
        Policy before =
                policy(net("tools", List.of(rules("api.github.com", 443, HttpRule.of("GET", "/**"))), "/usr/bin/*"));

        Policy after = apply(before, allow("api.github.com:443 POST /repos/**", GH));

        assertThat(after.networkPolicies()).containsOnlyKeys("tools", "allow_api_github_com_443");
        assertThat(after.networkPolicies().get("tools"))
                .isEqualTo(before.networkPolicies().get("tools"));
    }

    @Test
    void aTakenDerivedKeyGetsANumberedSuffix() {
        Policy before = policy(net("allow_api_github_com_443", List.of(l4("api.github.com", 443)), CURL));

        Policy after = applyIdempotent(before, allow("api.github.com:443 POST /repos/**", GH));

        assertThat(after.networkPolicies().keySet())
                .containsExactly("allow_api_github_com_443", "allow_api_github_com_443_2");
        assertThat(after.networkPolicies().get("allow_api_github_com_443_2").binaries())
                .containsExactly(new BinaryRef(GH));
    }

    // --- AddDeny ---

    @Test
    void appendsToAnEndpointWithAccess() {
        Policy before = policy(net("gh", List.of(rest("api.github.com", 443, Access.FULL)), GH));

        Policy after = applyIdempotent(before, deny("api.github.com:443 DELETE /repos/**", GH));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(
                        withDeny(rest("api.github.com", 443, Access.FULL), HttpRule.of("DELETE", "/repos/**")));
    }

    @Test
    void appendsToAnEndpointWithRules() {
        Endpoint endpoint = rules("api.github.com", 443, HttpRule.of("*", "/**"));
        Policy before = policy(net("gh", List.of(endpoint), GH));

        Policy after = applyIdempotent(before, deny("api.github.com:443:*:/admin/**", GH));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(withDeny(endpoint, HttpRule.of("*", "/admin/**")));
    }

    @Test
    void withoutABinaryEveryRestEndpointForHostPortGetsTheRule() {
        Policy before = policy(
                net("gh", List.of(rest("api.github.com", 443, Access.FULL)), GH),
                net("curl", List.of(l4("pypi.org", 443), rest("api.github.com", 443, Access.READ_ONLY)), CURL));
        HttpRule rule = HttpRule.of("*", "/repos/*/rulesets");

        Policy after = applyIdempotent(before, deny("api.github.com:443 * /repos/*/rulesets", null));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(withDeny(rest("api.github.com", 443, Access.FULL), rule));
        assertThat(after.networkPolicies().get("curl").endpoints())
                .containsExactly(l4("pypi.org", 443), withDeny(rest("api.github.com", 443, Access.READ_ONLY), rule));
    }

    @Test
    void splitsTheAddressedPortOffEachMultiPortEndpoint() {
        Policy before = policy(net(
                "gh",
                List.of(
                        restPorts("a.example.com", Access.FULL, 443, 8443),
                        restPorts("b.example.com", Access.FULL, 443)),
                GH));

        Policy after = apply(before, deny("a.example.com:443 DELETE /", GH));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(
                        rest("a.example.com", 8443, Access.FULL),
                        withDeny(rest("a.example.com", 443, Access.FULL), HttpRule.of("DELETE", "/")),
                        rest("b.example.com", 443, Access.FULL));
    }

    @Test
    void withoutARestEndpointItIsAnError() {
        Policy before = policy(net("gh", List.of(l4("api.github.com", 443)), GH));

        assertUpdateFails(before, deny("api.github.com:443 DELETE /", GH))
                .hasMessage("no endpoint api.github.com:443 with protocol: rest for /usr/bin/gh in the policy;"
                        + " deny rules apply to inspected (rest) endpoints only");
        assertUpdateFails(before, deny("api.github.com:443 DELETE /", null))
                .hasMessage("no endpoint api.github.com:443 with protocol: rest in the policy;"
                        + " deny rules apply to inspected (rest) endpoints only");
    }
}
