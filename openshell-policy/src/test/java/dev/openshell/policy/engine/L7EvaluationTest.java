package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.l7;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.QueryMatch;
import dev.openshell.policy.model.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class L7EvaluationTest {

    private static final String GH = "/usr/bin/gh";
    private static final L4Request API = l4(GH, "api.github.com", 443);
    private static final L4Request UPLOADS = l4(GH, "uploads.github.com", 443);

    private final CompiledPolicy p = PolicyEngine.compile(policy().network(
                    "gh",
                    List.of(GH),
                    ep("api.github.com", 443).rest(Access.READ_ONLY).deny("*", "/repos/*/rulesets"),
                    ep("uploads.github.com", 443)
                            .allow("POST", "/repos/**", Map.of("name", QueryMatch.glob("*.tar.gz")))
                            .allow("GET", "/files/a b")
                            .allow("PUT", "/v/*", Map.of("arch", new QueryMatch(List.of("amd64", "arm64")))))
            .build());

    @Test
    void anAccessPresetAllowsItsMethods() {
        Decision d = p.evaluate(l7(API, "GET", "/repos/o/r/issues?page=2"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.layer()).isEqualTo(Layer.L7);
        assertThat(d.rule()).contains("access: read-only");
        assertThat(d.policy()).contains("gh");
        assertThat(d.endpoint().orElseThrow().index()).isZero();
        assertThat(d.reason()).doesNotContain("page=2");
    }

    @Test
    void otherMethodsAreDeniedWithTheReasonAndASuggestion() {
        Decision d = p.evaluate(l7(API, "POST", "/repos/o/r/issues?token=secret"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.layer()).isEqualTo(Layer.L7);
        assertThat(d.rule()).contains("access: read-only");
        assertThat(d.reason())
                .isEqualTo("POST /repos/o/r/issues is not allowed on api.github.com:443 by policy gh (access:"
                        + " read-only allows GET, HEAD, OPTIONS)");
        assertThat(d.suggestion())
                .contains("--add-allow api.github.com:443 POST /repos/o/r/issues --binary /usr/bin/gh");
        assertThat(d.reason() + d.suggestion().orElseThrow()).doesNotContain("secret");
    }

    @Test
    void methodsAreCaseSensitive() {
        assertThat(p.evaluate(l7(API, "get", "/x")).verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void denyRulesWinOverTheAccessPreset() {
        Decision d = p.evaluate(l7(API, "GET", "/repos/o/rulesets"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("deny_rules[0]");
        assertThat(d.reason())
                .isEqualTo("GET /repos/o/rulesets on api.github.com:443 is denied by policy gh deny_rules[0] (*"
                        + " /repos/*/rulesets)");
        assertThat(d.suggestion()).isEmpty();
        assertThat(p.evaluate(l7(API, "GET", "/repos/o/r/rulesets")).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "POST | /repos/o/r/releases?name=x.tar.gz | ALLOW | rules[0]",
                "POST | /repos/o/r/releases?name=x.zip | DENY | ",
                "POST | /repos/o/r/releases | DENY | ",
                "POST | /repos/o/r/releases?name=x.tar.gz&name=y.zip | DENY | ",
                "POST | /repos/o/r/releases?name=x.tar.gz&other=1 | ALLOW | rules[0]",
                "POST | /repos/o/r/releases?name=dir%2Fx.tar.gz | ALLOW | rules[0]",
                "GET | /repos/o/r/releases?name=x.tar.gz | DENY | ",
                "GET | /files/a%20b | ALLOW | rules[1]",
                "GET | /files/a+b | DENY | ",
                "PUT | /v/1?arch=arm64 | ALLOW | rules[2]",
                "PUT | /v/1?arch=amd64&arch=arm64 | ALLOW | rules[2]",
                "PUT | /v/1?arch=386 | DENY | ",
                "PUT | /v/1/2?arch=amd64 | DENY | ",
            })
    void explicitRulesMatchMethodPathAndQuery(String method, String target, Verdict verdict, String rule) {
        Decision d = p.evaluate(l7(UPLOADS, method, target));
        assertThat(d.verdict()).isEqualTo(verdict);
        assertThat(d.rule()).isEqualTo(Optional.ofNullable(rule));
        if (verdict == Verdict.DENY) {
            assertThat(d.reason())
                    .contains("is not allowed on uploads.github.com:443 by policy gh (none of its 3 rules" + " match)");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/repos/a%2Fb | encoded slash in path",
                "/repos/%2e%2e/admin | dot-segment in path",
                "/repos/../admin | dot-segment in path",
                "/repos/x%00 | control character in path",
                "/repos/%G1 | invalid percent-encoding in path",
                "* | request target must be a path",
            })
    void malformedTargetsAreDenied(String target, String error) {
        Decision d = p.evaluate(l7(API, "GET", target));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.layer()).isEqualTo(Layer.L7);
        assertThat(d.reason()).endsWith(error);
    }

    @Test
    void theL4DecisionIsTakenAgain() {
        Decision d = p.evaluate(l7(l4("/usr/bin/python3", "api.github.com", 443), "GET", "/"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.layer()).isEqualTo(Layer.L4);
        assertThat(d.reason()).startsWith("no policy allows /usr/bin/python3 to reach api.github.com:443");
    }

    @Test
    void readWriteAllowsWritesButNotDelete() {
        CompiledPolicy rw = PolicyEngine.compile(
                policy().network("rw", List.of(GH), ep("api.github.com", 443).rest(Access.READ_WRITE))
                        .build());
        assertThat(rw.evaluate(l7(API, "PATCH", "/x")).verdict()).isEqualTo(Verdict.ALLOW);
        Decision d = rw.evaluate(l7(API, "DELETE", "/x"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).endsWith("(access: read-write allows GET, HEAD, OPTIONS, POST, PUT, PATCH)");
        CompiledPolicy full = PolicyEngine.compile(
                policy().network("f", List.of(GH), ep("api.github.com", 443).rest(Access.FULL))
                        .build());
        assertThat(full.evaluate(l7(API, "PURGE", "/x")).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aDenyRuleOfOneEndpointWinsOverAnotherEndpointsAllow() {
        CompiledPolicy two = PolicyEngine.compile(
                policy().network("open", List.of(GH), ep("api.github.com", 443).rest(Access.FULL))
                        .network(
                                "guard",
                                List.of(GH),
                                ep("api.github.com", 443).rest(Access.READ_ONLY).deny("DELETE", "/**"))
                        .build());
        Decision d = two.evaluate(l7(API, "DELETE", "/repos/x"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.policy()).contains("guard");
        assertThat(d.rule()).contains("deny_rules[0]");
        Decision put = two.evaluate(l7(API, "PUT", "/repos/x"));
        assertThat(put.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(put.policy()).contains("open");
    }

    @Test
    void anL4OnlyEndpointAllowsEveryRequest() {
        CompiledPolicy mixed = PolicyEngine.compile(
                policy().network("rest", List.of(GH), ep("api.github.com", 443).rest(Access.READ_ONLY))
                        .network("tunnel", List.of(GH), ep("api.github.com", 443))
                        .build());
        Decision d = mixed.evaluate(l7(API, "DELETE", "/x"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.policy()).contains("tunnel");
        assertThat(d.rule()).contains("endpoints[0]");
    }

    @Test
    void auditEndpointsLetDenialsThrough() {
        CompiledPolicy audit = PolicyEngine.compile(policy().network(
                        "a",
                        List.of(GH),
                        ep("api.github.com", 443)
                                .rest(Access.READ_ONLY)
                                .deny("GET", "/secret/**")
                                .audit())
                .build());
        Decision noMatch = audit.evaluate(l7(API, "POST", "/x"));
        assertThat(noMatch.verdict()).isEqualTo(Verdict.AUDIT_ALLOW);
        assertThat(noMatch.permits()).isTrue();
        assertThat(noMatch.layer()).isEqualTo(Layer.L7);
        assertThat(noMatch.reason()).startsWith("POST /x is not allowed on api.github.com:443 by policy a");
        Decision denyRule = audit.evaluate(l7(API, "GET", "/secret/k"));
        assertThat(denyRule.verdict()).isEqualTo(Verdict.AUDIT_ALLOW);
        assertThat(denyRule.rule()).contains("deny_rules[0]");
        assertThat(audit.evaluate(l7(API, "GET", "/x")).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void anEnforcedDenyRuleBeatsAnAuditEndpoint() {
        CompiledPolicy both = PolicyEngine.compile(policy().network(
                        "audit",
                        List.of(GH),
                        ep("api.github.com", 443).rest(Access.READ_ONLY).audit())
                .network(
                        "enforce",
                        List.of(GH),
                        ep("api.github.com", 443).rest(Access.FULL).deny("DELETE", "/**"))
                .build());
        assertThat(both.evaluate(l7(API, "DELETE", "/x")).verdict()).isEqualTo(Verdict.DENY);
        // The audit endpoint does not allow POST, but the enforced one does: a plain allow.
        Decision post = both.evaluate(l7(API, "POST", "/x"));
        assertThat(post.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(post.policy()).contains("enforce");
    }

    @Test
    void anAuditDenyRuleTurnsAnotherEndpointsAllowIntoAuditAllow() {
        CompiledPolicy both = PolicyEngine.compile(
                policy().network("open", List.of(GH), ep("api.github.com", 443).rest(Access.FULL))
                        .network(
                                "trial",
                                List.of(GH),
                                ep("api.github.com", 443)
                                        .rest(Access.FULL)
                                        .deny("DELETE", "/**")
                                        .audit())
                        .build());
        Decision d = both.evaluate(l7(API, "DELETE", "/x"));
        assertThat(d.verdict()).isEqualTo(Verdict.AUDIT_ALLOW);
        assertThat(d.policy()).contains("trial");
    }
}
