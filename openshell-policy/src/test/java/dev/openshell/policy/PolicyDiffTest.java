package dev.openshell.policy;

import static dev.openshell.policy.UpdateFixtures.l4;
import static dev.openshell.policy.UpdateFixtures.net;
import static dev.openshell.policy.UpdateFixtures.policy;
import static dev.openshell.policy.UpdateFixtures.rest;
import static dev.openshell.policy.UpdateFixtures.rules;
import static dev.openshell.policy.UpdateFixtures.withDeny;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyDiff.Change;
import dev.openshell.policy.PolicyDiff.Kind;
import dev.openshell.policy.model.Access;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyDiffTest {

    private static final String GH = "/usr/bin/gh";
    private static final String CURL = "/usr/bin/curl";

    private static final NetworkPolicy GITHUB =
            net("gh", List.of(rest("api.github.com", 443, Access.READ_ONLY), l4("github.com", 22, 443)), GH, CURL);
    private static final NetworkPolicy PYPI = net("pypi", List.of(l4("pypi.org", 443)), "/usr/bin/pip");

    @Test
    void equalPoliciesHaveAnEmptyDiff() {
        PolicyDiff diff = PolicyDiff.between(policy(GITHUB, PYPI), policy(GITHUB, PYPI));

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.hasStaticChanges()).isFalse();
        assertThat(diff.render()).isEqualTo("no changes\n");
    }

    @Test
    void orderThatDoesNotChangeDecisionsIsNotAChange() {
        Policy before = new Policy(
                1,
                new FilesystemPolicy(true, List.of("/usr", "/lib"), List.of("/tmp", "/work")),
                LandlockPolicy.DEFAULT,
                ProcessPolicy.DEFAULT,
                Map.of());
        Endpoint endpoint = withDeny(
                rules("api.github.com", 443, HttpRule.of("GET", "/**"), HttpRule.of("POST", "/repos/**")),
                HttpRule.of("DELETE", "/a"),
                HttpRule.of("DELETE", "/b"));
        Endpoint reordered = withDeny(
                rules("api.github.com", 443, HttpRule.of("POST", "/repos/**"), HttpRule.of("GET", "/**")),
                HttpRule.of("DELETE", "/b"),
                HttpRule.of("DELETE", "/a"));
        Policy after = new Policy(
                1,
                new FilesystemPolicy(true, List.of("/lib", "/usr"), List.of("/work", "/tmp")),
                LandlockPolicy.DEFAULT,
                ProcessPolicy.DEFAULT,
                Map.of());
        before = before.withNetworkPolicies(policy(PYPI, net("gh", List.of(endpoint, l4("github.com", 22)), GH, CURL))
                .networkPolicies());
        after = after.withNetworkPolicies(policy(net("gh", List.of(l4("github.com", 22), reordered), CURL, GH), PYPI)
                .networkPolicies());

        assertThat(before).isNotEqualTo(after);
        assertThat(PolicyDiff.between(before, after).isEmpty()).isTrue();
    }

    @Test
    void staticSectionsAreComparedFieldByField() {
        Policy before = policy(GITHUB);
        Policy after = new Policy(
                1,
                new FilesystemPolicy(false, List.of("/opt"), List.of()),
                new LandlockPolicy(LandlockPolicy.Compatibility.HARD_REQUIREMENT),
                new ProcessPolicy("agent", "staff"),
                before.networkPolicies());

        PolicyDiff diff = PolicyDiff.between(before, after);

        assertThat(diff.dynamicChanges()).isEmpty();
        assertThat(diff.hasStaticChanges()).isTrue();
        assertThat(diff.staticChanges())
                .containsExactly(
                        new Change("filesystem_policy.include_workdir", Kind.CHANGED, "true", "false"),
                        new Change("filesystem_policy.read_only", Kind.REMOVED, "/usr", null),
                        new Change("filesystem_policy.read_only", Kind.REMOVED, "/lib", null),
                        new Change("filesystem_policy.read_only", Kind.REMOVED, "/lib64", null),
                        new Change("filesystem_policy.read_only", Kind.REMOVED, "/bin", null),
                        new Change("filesystem_policy.read_only", Kind.REMOVED, "/sbin", null),
                        new Change("filesystem_policy.read_only", Kind.REMOVED, "/etc", null),
                        new Change("filesystem_policy.read_only", Kind.ADDED, null, "/opt"),
                        new Change("filesystem_policy.read_write", Kind.REMOVED, "/tmp", null),
                        new Change("landlock.compatibility", Kind.CHANGED, "best_effort", "hard_requirement"),
                        new Change("process.run_as_user", Kind.CHANGED, "sandbox", "agent"),
                        new Change("process.run_as_group", Kind.CHANGED, "sandbox", "staff"));
    }

    @Test
    void pathsAddedAndRemovedAreOneChangeEach() {
        Policy before = new Policy(
                1,
                new FilesystemPolicy(true, List.of(), List.of()),
                LandlockPolicy.DEFAULT,
                ProcessPolicy.DEFAULT,
                Map.of());
        Policy after = new Policy(
                1,
                new FilesystemPolicy(true, List.of(), List.of("/tmp", "/data")),
                LandlockPolicy.DEFAULT,
                ProcessPolicy.DEFAULT,
                Map.of());

        assertThat(PolicyDiff.between(after, before).staticChanges())
                .containsExactly(
                        new Change("filesystem_policy.read_write", Kind.REMOVED, "/tmp", null),
                        new Change("filesystem_policy.read_write", Kind.REMOVED, "/data", null));
    }

    @Test
    void execFromWritableIsAStaticChange() {
        Policy opted = new Policy(
                1,
                new FilesystemPolicy(true, FilesystemPolicy.BASELINE.readOnly(), List.of("/tmp"), true),
                LandlockPolicy.DEFAULT,
                ProcessPolicy.DEFAULT,
                Map.of());

        assertThat(PolicyDiff.between(Policy.denyAll(), opted).staticChanges())
                .containsExactly(new Change("filesystem_policy.exec_from_writable", Kind.CHANGED, "false", "true"));
    }

    @Test
    void aMissingFilesystemPolicyEqualsTheWrittenBaseline() {
        Policy written = PolicyParser.parse("""
                version: 1
                filesystem_policy:
                  include_workdir: true
                  read_only: [/usr, /lib, /lib64, /bin, /sbin, /etc]
                  read_write: [/tmp]
                """);

        assertThat(PolicyDiff.between(PolicyParser.parse("version: 1\n"), written)
                        .isEmpty())
                .isTrue();
    }

    @Test
    void networkPoliciesAddedAndRemovedAreDynamic() {
        PolicyDiff diff = PolicyDiff.between(policy(PYPI), policy(GITHUB));

        assertThat(diff.hasStaticChanges()).isFalse();
        assertThat(diff.dynamicChanges())
                .containsExactly(
                        new Change("network_policies.pypi", Kind.REMOVED, "pypi.org:443 for /usr/bin/pip", null),
                        new Change(
                                "network_policies.gh",
                                Kind.ADDED,
                                null,
                                "api.github.com:443 rest read-only; github.com:[22,443] for /usr/bin/curl,"
                                        + " /usr/bin/gh"));
    }

    @Test
    void insideAPolicyEndpointsAndBinariesAreComparedOneByOne() {
        NetworkPolicy changed = net(
                "gh",
                List.of(rest("api.github.com", 443, Access.FULL), l4("uploads.github.com", 443)),
                GH,
                "/usr/bin/git");

        PolicyDiff diff = PolicyDiff.between(policy(GITHUB), policy(changed));

        assertThat(diff.dynamicChanges())
                .containsExactly(
                        new Change(
                                "network_policies.gh.endpoints",
                                Kind.CHANGED,
                                "api.github.com:443 rest read-only",
                                "api.github.com:443 rest full"),
                        new Change("network_policies.gh.endpoints", Kind.REMOVED, "github.com:[22,443]", null),
                        new Change("network_policies.gh.endpoints", Kind.ADDED, null, "uploads.github.com:443"),
                        new Change("network_policies.gh.binaries", Kind.REMOVED, CURL, null),
                        new Change("network_policies.gh.binaries", Kind.ADDED, null, "/usr/bin/git"));
    }

    @Test
    void endpointFormsShowEverySettingThatDecides() {
        Endpoint before = rules("api.github.com", 443, HttpRule.of("GET", "/**"));
        Endpoint after = new Endpoint(
                "2001:db8::1",
                List.of(443),
                Protocol.REST,
                Enforcement.AUDIT,
                null,
                List.of(new HttpRule(
                        "POST",
                        "/upload",
                        Map.of("name", QueryMatch.glob("*.tar.gz"), "kind", new QueryMatch(List.of("b", "a"))))),
                List.of(HttpRule.of("*", "/admin/**")),
                List.of("fd00::/8", "10.0.0.0/8"));

        PolicyDiff diff =
                PolicyDiff.between(policy(net("x", List.of(before), GH)), policy(net("x", List.of(after), GH)));

        assertThat(diff.dynamicChanges())
                .containsExactly(
                        new Change(
                                "network_policies.x.endpoints",
                                Kind.REMOVED,
                                "api.github.com:443 rest allow[GET /**]",
                                null),
                        new Change(
                                "network_policies.x.endpoints",
                                Kind.ADDED,
                                null,
                                "[2001:db8::1]:443 rest audit allow[POST /upload?kind=a|b&name=*.tar.gz]"
                                        + " deny[* /admin/**] allowed_ips[10.0.0.0/8, fd00::/8]"));
    }

    @Test
    void aDisplayNameChangeIsReported() {
        NetworkPolicy named = new NetworkPolicy("pypi", "Python packages", PYPI.endpoints(), PYPI.binaries());

        assertThat(PolicyDiff.between(policy(PYPI), policy(named)).dynamicChanges())
                .containsExactly(new Change("network_policies.pypi.name", Kind.ADDED, null, "Python packages"));
    }

    @Test
    void renderPrintsOneLinePerChangeUnderStaticAndNetworkHeadings() {
        Policy after = new Policy(
                1,
                FilesystemPolicy.DEFAULT,
                LandlockPolicy.DEFAULT,
                new ProcessPolicy("agent", "sandbox"),
                policy(net("gh", List.of(rest("api.github.com", 443, Access.FULL), l4("github.com", 22, 443)), GH))
                        .networkPolicies());

        assertThat(PolicyDiff.between(policy(GITHUB, PYPI), after).render()).isEqualTo("""
                        static (fixed when the sandbox is created):
                          ~ process.run_as_user: sandbox -> agent
                        network (hot-reloadable):
                          ~ network_policies.gh.endpoints: api.github.com:443 rest read-only -> api.github.com:443 rest full
                          - network_policies.gh.binaries: /usr/bin/curl
                          - network_policies.pypi: pypi.org:443 for /usr/bin/pip
                        """);
    }
}
