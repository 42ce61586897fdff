package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.l7;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static dev.openshell.policy.engine.TestPolicies.withBody;
import static dev.openshell.policy.engine.TestPolicies.withHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request bodies on read-only endpoints and {@code request_limits}: what an endpoint refuses beyond method and path. */
class RequestBoundsEvaluationTest {

    private static final String CURL = "/usr/bin/curl";
    private static final L4Request RO = l4(CURL, "ro.example.com", 443);
    private static final L4Request RW = l4(CURL, "rw.example.com", 443);
    private static final L4Request LIMITED = l4(CURL, "limited.example.com", 443);
    private static final L4Request AUDITED = l4(CURL, "audit.example.com", 443);
    private static final L4Request BOTH = l4(CURL, "both.example.com", 443);

    private final CompiledPolicy p = PolicyEngine.compile(policy().network(
                    "api",
                    List.of(CURL),
                    ep("ro.example.com", 443).rest(Access.READ_ONLY),
                    ep("rw.example.com", 443).rest(Access.READ_WRITE),
                    ep("limited.example.com", 443).rest(Access.FULL).limits(20, 8, 100),
                    ep("audit.example.com", 443).rest(Access.READ_ONLY).audit(),
                    ep("both.example.com", 443).rest(Access.READ_ONLY),
                    ep("both.example.com", 443).allow("GET", "/upload/**"))
            .build());

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void readOnlyMethodsWithABodyAreDeniedSayingWhy(String method) {
        Decision d = p.evaluate(withBody(RO, method, "/search?q=secret"));

        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.layer()).isEqualTo(Layer.L7);
        assertThat(d.policy()).contains("api");
        assertThat(d.rule()).contains("access: read-only");
        assertThat(d.reason())
                .isEqualTo(method + " /search is not allowed on ro.example.com:443 by policy api (access: read-only"
                        + " takes no request body: read-only requests send no data)");
        assertThat(d.suggestion()).isEmpty();
        assertThat(p.evaluate(l7(RO, method, "/search")).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void otherPresetsAndAnotherAllowingEndpointTakeBodies() {
        assertThat(p.evaluate(withBody(RW, "GET", "/x")).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(withBody(RW, "POST", "/x")).verdict()).isEqualTo(Verdict.ALLOW);
        // the rules endpoint for the same host allows it, so the read-only one does not deny it
        Decision viaRule = p.evaluate(withBody(BOTH, "GET", "/upload/a"));
        assertThat(viaRule.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(viaRule.rule()).contains("rules[0]");
        assertThat(p.evaluate(withBody(BOTH, "GET", "/other")).rule()).contains("access: read-only");
    }

    @Test
    void aMethodTheEndpointDeniesAnywayKeepsItsOwnReason() {
        Decision d = p.evaluate(withBody(RO, "POST", "/x"));
        assertThat(d.reason()).contains("access: read-only allows GET, HEAD, OPTIONS");
        assertThat(d.suggestion()).isPresent();
    }

    @Test
    void eachLimitIsNamedWhenExceededAndTheBoundItselfPasses() {
        assertThat(p.evaluate(l7(LIMITED, "GET", "/" + "a".repeat(19))).verdict())
                .isEqualTo(Verdict.ALLOW);
        Decision url = p.evaluate(l7(LIMITED, "GET", "/" + "a".repeat(20)));
        assertThat(url.verdict()).isEqualTo(Verdict.DENY);
        assertThat(url.rule()).contains("request_limits.max_url_bytes");
        assertThat(url.reason())
                .isEqualTo("GET /" + "a".repeat(20) + " is not allowed on limited.example.com:443 by policy api (a URL"
                        + " of 21 bytes exceeds request_limits.max_url_bytes (20))");

        assertThat(p.evaluate(l7(LIMITED, "GET", "/q?12345678")).verdict()).isEqualTo(Verdict.ALLOW);
        Decision query = p.evaluate(l7(LIMITED, "GET", "/q?123456789"));
        assertThat(query.rule()).contains("request_limits.max_query_bytes");
        assertThat(query.reason())
                .contains("a query of 9 bytes exceeds request_limits.max_query_bytes (8)")
                .doesNotContain("123456789");

        assertThat(p.evaluate(withHeaders(LIMITED, "GET", "/h", 100)).verdict()).isEqualTo(Verdict.ALLOW);
        Decision headers = p.evaluate(withHeaders(LIMITED, "GET", "/h", 101));
        assertThat(headers.rule()).contains("request_limits.max_header_bytes");
        assertThat(headers.reason()).contains("headers of 101 bytes exceed request_limits.max_header_bytes (100)");
    }

    @Test
    void auditEndpointsLetABodyThroughAndLogWhatWouldHaveBeenDenied() {
        Decision d = p.evaluate(withBody(AUDITED, "GET", "/x"));
        assertThat(d.verdict()).isEqualTo(Verdict.AUDIT_ALLOW);
        assertThat(d.reason()).contains("takes no request body").endsWith("the endpoint's enforcement is audit");
    }

    @Test
    void policyCheckRequestsCarryNoBodyAndUnmeasuredHeaders() {
        assertThat(p.evaluate(l7(LIMITED, "GET", "/h")).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l7(RO, "GET", "/h")).verdict()).isEqualTo(Verdict.ALLOW);
    }
}
