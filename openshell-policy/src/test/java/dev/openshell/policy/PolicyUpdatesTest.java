package dev.openshell.policy;

import static dev.openshell.policy.UpdateFixtures.l4;
import static dev.openshell.policy.UpdateFixtures.net;
import static dev.openshell.policy.UpdateFixtures.policy;
import static dev.openshell.policy.UpdateFixtures.rest;
import static dev.openshell.policy.UpdateFixtures.restPorts;
import static dev.openshell.policy.UpdateFixtures.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyUpdate;
import dev.openshell.policy.model.PolicyValidationException;
import dev.openshell.policy.model.ProcessPolicy;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class PolicyUpdatesTest {

    private static final String GH = "/usr/bin/gh";
    private static final String CURL = "/usr/bin/curl";

    private static final NetworkPolicy GITHUB_READONLY =
            net("gh", List.of(rest("api.github.com", 443, Access.READ_ONLY)), GH);

    private static Policy apply(Policy policy, PolicyUpdate... updates) {
        return PolicyUpdates.apply(policy, List.of(updates));
    }

    private static PolicyUpdate.AddEndpoint addEndpoint(String spec, String key, String... binaries) {
        return PolicyUpdates.parseAddEndpoint(spec, key, List.of(binaries));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertUpdateFails(
            Policy policy, PolicyUpdate... updates) {
        return assertThatThrownBy(() -> apply(policy, updates))
                .isInstanceOfSatisfying(
                        PolicyException.class, e -> assertThat(e.code()).isEqualTo(PolicyUpdates.INVALID));
    }

    /** Applying the operations once more must not change the result. */
    private static Policy applyIdempotent(Policy policy, PolicyUpdate... updates) {
        Policy once = apply(policy, updates);
        assertThat(apply(once, updates)).isEqualTo(once);
        return once;
    }

    // --- AddEndpoint ---

    @Test
    void createsAPolicyUnderTheDerivedKey() {
        Policy after = applyIdempotent(Policy.denyAll(), addEndpoint("api.github.com:443", null, GH));

        assertThat(after.networkPolicies())
                .containsExactly(Map.entry(
                        "allow_api_github_com_443",
                        net("allow_api_github_com_443", List.of(l4("api.github.com", 443)), GH)));
    }

    @Test
    void restWithoutAccessMeansFull() {
        Policy after = apply(Policy.denyAll(), addEndpoint("api.github.com:443:rest", null, GH));

        assertThat(after.networkPolicies().get("allow_api_github_com_443").endpoints())
                .containsExactly(rest("api.github.com", 443, Access.FULL));
    }

    @Test
    void accessImpliesRest() {
        Policy after = apply(Policy.denyAll(), addEndpoint("api.github.com:443:read-only", "gh", GH));

        assertThat(after.networkPolicies().get("gh")).isEqualTo(GITHUB_READONLY);
    }

    @Test
    void mergesIntoAnExistingPolicyWithoutDuplicates() {
        Policy before = policy(net("other", List.of(l4("pypi.org", 443)), CURL), GITHUB_READONLY);

        Policy after = applyIdempotent(
                before,
                addEndpoint("uploads.github.com:443:read-write", "gh", GH, CURL),
                addEndpoint("api.github.com:443:rest", "gh", GH));

        assertThat(after.networkPolicies().keySet()).containsExactly("other", "gh");
        NetworkPolicy gh = after.networkPolicies().get("gh");
        assertThat(gh.endpoints())
                .containsExactly(
                        rest("api.github.com", 443, Access.READ_ONLY),
                        rest("uploads.github.com", 443, Access.READ_WRITE));
        assertThat(gh.binaries()).containsExactly(new BinaryRef(GH), new BinaryRef(CURL));
    }

    @Test
    void aPortAlreadyListedInAMultiPortEndpointIsNotAddedAgain() {
        Policy before = policy(net("web", List.of(l4("example.com", 80, 443)), CURL));

        assertThat(apply(before, addEndpoint("example.com:443", "web"))).isEqualTo(before);
    }

    @Test
    void anExplicitAccessReplacesThePresetOfTheExistingEndpoint() {
        Policy after = applyIdempotent(policy(GITHUB_READONLY), addEndpoint("api.github.com:443:full", "gh"));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(rest("api.github.com", 443, Access.FULL));
    }

    @Test
    void changingTheAccessOfOnePortSplitsItOff() {
        Policy before = policy(net("gh", List.of(restPorts("api.github.com", Access.READ_ONLY, 443, 8443)), GH));

        Policy after = apply(before, addEndpoint("api.github.com:443:read-write", "gh"));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(
                        rest("api.github.com", 8443, Access.READ_ONLY), rest("api.github.com", 443, Access.READ_WRITE));
    }

    @Test
    void anAccessCannotBeAddedToAnEndpointWithRules() {
        Policy before = policy(net("gh", List.of(rules("api.github.com", 443, HttpRule.of("GET", "/**"))), GH));

        assertUpdateFails(before, addEndpoint("api.github.com:443:full", "gh"))
                .hasMessage("endpoint api.github.com:443 in policy gh uses rules, which cannot be combined"
                        + " with access: full; replace the rules with access in the policy file");
    }

    @Test
    void anL4EndpointIsAddedNextToARestOneForTheSameHostPort() {
        Policy after = apply(policy(GITHUB_READONLY), addEndpoint("api.github.com:443:l4", "gh"));

        assertThat(after.networkPolicies().get("gh").endpoints())
                .containsExactly(rest("api.github.com", 443, Access.READ_ONLY), l4("api.github.com", 443));
    }

    @Test
    void aNewPolicyNeedsABinary() {
        assertUpdateFails(Policy.denyAll(), addEndpoint("api.github.com:443", null))
                .hasMessage("--add-endpoint api.github.com:443 creates policy allow_api_github_com_443"
                        + " and needs at least one --binary");
    }

    @Test
    void derivesKeysForIpv6AndWildcardHosts() {
        Policy after = apply(
                Policy.denyAll(),
                addEndpoint("[2001:db8::1]:443", null, CURL),
                addEndpoint("*.example.com:8080", null, CURL));

        assertThat(after.networkPolicies().keySet())
                .containsExactly("allow_2001_db8__1_443", "allow___example_com_8080");
        assertThat(after.networkPolicies().get("allow_2001_db8__1_443").endpoints())
                .containsExactly(l4("2001:db8::1", 443));
    }

    @Test
    void derivedKeysStayWithin128Characters() {
        String host = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + ".example.com";

        String key = PolicyUpdates.derivedKey(host, 65535);

        assertThat(key).hasSize(128).startsWith("allow_aaaa").endsWith("_65535");
    }

    @Test
    void staticSectionsAreKept() {
        Policy before = new Policy(
                1,
                new FilesystemPolicy(false, List.of("/usr"), List.of("/tmp")),
                new LandlockPolicy(LandlockPolicy.Compatibility.HARD_REQUIREMENT),
                new ProcessPolicy("agent", "agent"),
                Map.of());

        Policy after = apply(before, addEndpoint("pypi.org:443", null, CURL));

        assertThat(after.filesystem()).isEqualTo(before.filesystem());
        assertThat(after.landlock()).isEqualTo(before.landlock());
        assertThat(after.process()).isEqualTo(before.process());
    }

    // --- RemoveEndpoint ---

    @Test
    void removesTheEndpointAndDropsPoliciesLeftEmpty() {
        Policy before =
                policy(GITHUB_READONLY, net("mixed", List.of(l4("pypi.org", 443), l4("api.github.com", 443)), CURL));

        Policy after = apply(before, PolicyUpdates.parseRemoveEndpoint("api.github.com:443"));

        assertThat(after.networkPolicies().keySet()).containsExactly("mixed");
        assertThat(after.networkPolicies().get("mixed").endpoints()).containsExactly(l4("pypi.org", 443));
    }

    @Test
    void aMultiPortEndpointLosesOnlyThatPort() {
        Policy before = policy(net("web", List.of(l4("example.com", 80, 443)), CURL));

        Policy after = apply(before, PolicyUpdates.parseRemoveEndpoint("EXAMPLE.com.:80"));

        assertThat(after.networkPolicies().get("web").endpoints()).containsExactly(l4("example.com", 443));
    }

    @Test
    void removingWhatIsNotThereIsAnError() {
        assertUpdateFails(policy(GITHUB_READONLY), PolicyUpdates.parseRemoveEndpoint("api.githb.com:443"))
                .hasMessage("no endpoint api.githb.com:443 in the policy");
    }

    @Test
    void removingTwiceInOneUpdateIsAnErrorAndTheInputIsUntouched() {
        Policy before = policy(GITHUB_READONLY);
        PolicyUpdate remove = PolicyUpdates.parseRemoveEndpoint("api.github.com:443");

        assertUpdateFails(before, remove, remove).hasMessage("no endpoint api.github.com:443 in the policy");
        assertThat(before.networkPolicies()).containsOnlyKeys("gh");
    }

    @Test
    void ipv6EndpointsAreRemovedByTheirBracketedSpelling() {
        Policy before = policy(net("local", List.of(l4("2001:db8::1", 443)), CURL));

        Policy after = apply(before, PolicyUpdates.parseRemoveEndpoint("[2001:DB8:0:0::1]:443"));

        assertThat(after.networkPolicies()).isEmpty();
    }

    // --- Sequences ---

    @Test
    void operationsApplyInOrder() {
        Policy before = policy(GITHUB_READONLY);

        Policy after = apply(
                before, addEndpoint("pypi.org:443", null, CURL), PolicyUpdates.parseRemoveEndpoint("pypi.org:443"));

        assertThat(after).isEqualTo(before);
    }

    @Test
    void aLaterFailureDiscardsEarlierOperations() {
        Policy before = policy(GITHUB_READONLY);

        assertUpdateFails(
                before,
                addEndpoint("pypi.org:443", null, CURL),
                PolicyUpdates.parseRemoveEndpoint("nowhere.example:443"));
        assertThat(before.networkPolicies()).containsOnlyKeys("gh");
    }

    @Test
    void theResultIsValidatedWhole() {
        assertThatThrownBy(() -> apply(Policy.denyAll(), addEndpoint("pypi.org:443", null, "relative/pip")))
                .isInstanceOf(PolicyValidationException.class)
                .hasMessageContaining("network_policies.allow_pypi_org_443.binaries[0]");
    }
}
