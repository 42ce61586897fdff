package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class L4EvaluationTest {

    private static final String GH = "/usr/bin/gh";
    private static final String PY = "/usr/bin/python3";

    private final CompiledPolicy github = PolicyEngine.compile(
            policy().network("gh", List.of(GH, "/usr/bin/git"), ep("api.github.com", 443), ep("github.com", 443, 22))
                    .build());

    @Test
    void allowsAListedBinaryToAListedEndpoint() {
        Decision d = github.evaluate(l4(GH, "api.github.com", 443, "140.82.112.5"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.layer()).isEqualTo(Layer.L4);
        assertThat(d.policy()).contains("gh");
        assertThat(d.endpoint().orElseThrow().index()).isZero();
        assertThat(d.rule()).contains("endpoints[0]");
        assertThat(d.reason()).isEqualTo("policy gh allows /usr/bin/gh to reach api.github.com:443");
        assertThat(d.inspect()).isFalse();
        assertThat(d.suggestion()).isEmpty();

        Decision second = github.evaluate(l4("/usr/bin/git", "github.com", 22));
        assertThat(second.endpoint().orElseThrow().index()).isEqualTo(1);
        assertThat(second.rule()).contains("endpoints[1]");
    }

    @Test
    void deniesAnUnknownDestinationWithASuggestion() {
        Decision d = github.evaluate(l4(GH, "example.com", 443));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).isEqualTo("no policy allows connections to example.com:443");
        assertThat(d.suggestion()).contains("--add-endpoint example.com:443 --binary /usr/bin/gh");
        assertThat(d.policy()).isEmpty();
        assertThat(d.endpoint()).isEmpty();
    }

    @Test
    void aHostOnAnotherPortIsAnUnknownDestination() {
        Decision d = github.evaluate(l4(GH, "api.github.com", 80));
        assertThat(d.reason()).isEqualTo("no policy allows connections to api.github.com:80");
    }

    @Test
    void deniesAnUnlistedBinaryNamingWhoIsAllowed() {
        Decision d = github.evaluate(l4(PY, "api.github.com", 443));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason())
                .isEqualTo("no policy allows /usr/bin/python3 to reach api.github.com:443; policy gh allows it for"
                        + " /usr/bin/gh, /usr/bin/git");
        assertThat(d.suggestion()).contains("--add-endpoint api.github.com:443 --binary /usr/bin/python3");
    }

    @Test
    void anAncestorBinaryCounts() {
        Decision d = github.evaluate(l4("/usr/bin/curl", List.of("/bin/sh", GH), "api.github.com", 443));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.reason()).startsWith("policy gh allows /usr/bin/curl to reach api.github.com:443");
        assertThat(d.reason()).contains("via ancestor /usr/bin/gh");
    }

    @Test
    void binaryGlobsMatchWithPathSemantics() {
        CompiledPolicy p = PolicyEngine.compile(policy().network(
                        "node",
                        List.of("/usr/lib/node_modules/**", "/usr/bin/python3.*"),
                        ep("registry.npmjs.org", 443))
                .build());
        assertThat(p.evaluate(l4("/usr/lib/node_modules/npm/bin/npm-cli.js", "registry.npmjs.org", 443))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4("/usr/bin/python3.12", "registry.npmjs.org", 443))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4("/usr/bin/python3.12/x", "registry.npmjs.org", 443))
                        .verdict())
                .isEqualTo(Verdict.DENY);
        assertThat(p.evaluate(l4("/usr/lib/node", "registry.npmjs.org", 443)).verdict())
                .isEqualTo(Verdict.DENY);
    }

    @Test
    void resolvedBinaryPathsMatchToo() {
        var options = new PolicyEngine.Options(path -> path.equals(PY) ? "/usr/bin/python3.12" : path);
        CompiledPolicy p = PolicyEngine.compile(
                policy().network("py", List.of(PY), ep("pypi.org", 443)).build(), options);
        assertThat(p.evaluate(l4("/usr/bin/python3.12", "pypi.org", 443)).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(PY, "pypi.org", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4("/usr/bin/python3.11", "pypi.org", 443)).verdict())
                .isEqualTo(Verdict.DENY);
    }

    @Test
    void singleLabelWildcardMatchesExactlyOneLabel() {
        CompiledPolicy p = PolicyEngine.compile(
                policy().network("w", List.of(GH), ep("*.example.com", 443)).build());
        assertThat(p.evaluate(l4(GH, "a.example.com", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(GH, "a.b.example.com", 443)).verdict()).isEqualTo(Verdict.DENY);
        assertThat(p.evaluate(l4(GH, "example.com", 443)).verdict()).isEqualTo(Verdict.DENY);
        assertThat(p.evaluate(l4(GH, "aexample.com", 443)).verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void multiLabelWildcardMatchesAnyDepth() {
        CompiledPolicy p = PolicyEngine.compile(
                policy().network("w", List.of(GH), ep("**.example.com", 443)).build());
        assertThat(p.evaluate(l4(GH, "a.example.com", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(GH, "a.b.c.example.com", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(GH, "example.com", 443)).verdict()).isEqualTo(Verdict.DENY);
        assertThat(p.evaluate(l4(GH, "a.example.org", 443)).verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void requestHostsAreNormalisedBeforeMatching() {
        CompiledPolicy p = PolicyEngine.compile(
                policy().network("n", List.of(GH), ep("api.github.com", 443), ep("xn--bcher-kva.example", 443))
                        .build());
        assertThat(p.evaluate(l4(GH, "API.GitHub.com.", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(GH, "API.GitHub.com.", 443)).reason()).contains("api.github.com:443");
        assertThat(p.evaluate(l4(GH, "bücher.example", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(GH, "api.github.com..", 443)).verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void invalidHostsAreDenied() {
        Decision d = github.evaluate(l4(GH, "bad host\n.com", 443));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).startsWith("invalid host ").doesNotContain("\n");
    }

    @Test
    void earlierPoliciesDecideFirst() {
        CompiledPolicy p = PolicyEngine.compile(policy().network("first", List.of(GH), ep("**.github.com", 443))
                .network("second", List.of(GH), ep("api.github.com", 443))
                .build());
        Decision d = p.evaluate(l4(GH, "api.github.com", 443));
        assertThat(d.policy()).contains("first");
    }

    @Test
    void aRestEndpointMakesTheConnectionInspectedAndDecides() {
        CompiledPolicy p = PolicyEngine.compile(policy().network("tunnel", List.of(GH), ep("api.github.com", 443))
                .network("rest", List.of(GH), ep("api.github.com", 443).rest(Access.READ_ONLY))
                .build());
        Decision d = p.evaluate(l4(GH, "api.github.com", 443));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.inspect()).isTrue();
        assertThat(d.policy()).contains("rest");

        CompiledPolicy onlyL4 = PolicyEngine.compile(policy().network("tunnel", List.of(GH), ep("api.github.com", 443))
                .build());
        assertThat(onlyL4.evaluate(l4(GH, "api.github.com", 443)).inspect()).isFalse();
    }

    @Test
    void ipLiteralEndpointsMatchTheSameAddressInAnyForm() {
        CompiledPolicy p =
                PolicyEngine.compile(policy().network("ips", List.of(GH), ep("2606:4700::1111", 443), ep("1.1.1.1", 53))
                        .build());
        assertThat(p.evaluate(l4(GH, "[2606:4700:0:0:0:0:0:1111]", 443)).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(GH, "1.1.1.1", 53)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(GH, "::ffff:1.1.1.1", 53)).verdict()).isEqualTo(Verdict.ALLOW);
        Decision d = p.evaluate(l4(GH, "2606:4700::1112", 443));
        assertThat(d.reason()).isEqualTo("no policy allows connections to [2606:4700::1112]:443");
    }

    @Test
    void policyModelIsExposed() {
        var source =
                policy().network("gh", List.of(GH), ep("api.github.com", 443)).build();
        assertThat(PolicyEngine.compile(source).source()).isSameAs(source);
    }

    @Test
    void anEmptyPolicyDeniesEverything() {
        CompiledPolicy p = PolicyEngine.compile(dev.openshell.policy.model.Policy.denyAll());
        assertThat(p.evaluate(l4(GH, "api.github.com", 443)).verdict()).isEqualTo(Verdict.DENY);
    }
}
