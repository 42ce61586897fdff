package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the proxy may ask before it resolves a name: whether any endpoint could admit the host, port
 * and binary once the addresses are known. A name no endpoint could admit is never resolved, so a
 * lookup cannot carry data out.
 */
class MayAdmitTest {

    private static final String CURL = "/usr/bin/curl";
    private static final String PY = "/usr/bin/python3";
    private static final String PSQL = "/usr/bin/psql";

    private final CompiledPolicy p = PolicyEngine.compile(policy().network(
                    "web",
                    List.of(CURL),
                    ep("api.example.com", 443),
                    ep("*.one.example.com", 443),
                    ep("**.any.example.com", 443),
                    ep("10.0.0.5", 443))
            .network(
                    "audited",
                    List.of(CURL),
                    ep("audit.example.com", 443).rest(Access.READ_ONLY).audit())
            .network("db", List.of(PSQL), ep(null, 5432).allowedIps("10.20.0.0/16"))
            .build());

    @ParameterizedTest(name = "{0} {1}:{2} -> {3}")
    @CsvSource({
        // host pattern, port and binary all match
        CURL + ", api.example.com, 443, true",
        CURL + ", API.Example.COM., 443, true",
        CURL + ", x.one.example.com, 443, true",
        CURL + ", a.b.any.example.com, 443, true",
        CURL + ", audit.example.com, 443, true",
        // the data-carrying names an exfiltration would use
        CURL + ", c2VjcmV0.attacker.example, 443, false",
        CURL + ", a.b.one.example.com, 443, false",
        CURL + ", one.example.com, 443, false",
        CURL + ", any.example.com, 443, false",
        CURL + ", secret.api.example.com, 443, false",
        // right name, wrong port or binary
        CURL + ", api.example.com, 80, false",
        PY + ", api.example.com, 443, false",
        PY + ", x.one.example.com, 443, false",
        PY + ", audit.example.com, 443, false",
        // an endpoint without host matches by address: its binary may have any name resolved on its port
        PSQL + ", db.internal, 5432, true",
        PSQL + ", db.internal, 5433, false",
        CURL + ", db.internal, 5432, false",
        // not a host name at all
        CURL + ", 'a b.example.com', 443, false",
    })
    void aNameIsWorthResolvingOnlyWhenSomeEndpointCouldAdmitIt(String binary, String host, int port, boolean expected) {
        assertThat(p.mayAdmit(l4(binary, host, port))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        // the sandbox DNS: a name some endpoint names, for a binary it lists, on any of its ports
        CURL + ", api.example.com, true",
        CURL + ", API.example.com., true",
        CURL + ", x.one.example.com, true",
        CURL + ", a.b.any.example.com, true",
        CURL + ", 10.0.0.5, true",
        PY + ", api.example.com, false",
        PY + ", x.one.example.com, false",
        CURL + ", c2VjcmV0.attacker.example, false",
        CURL + ", a.b.one.example.com, false",
        // endpoints without host match addresses, not names
        PSQL + ", db.internal, false",
        CURL + ", '', false",
    })
    void theSandboxDnsLooksANameUpOnlyForAProgramAnEndpointListsForIt(String binary, String name, boolean expected) {
        assertThat(p.mayResolve(binary, List.of(), name)).isEqualTo(expected);
    }

    @Test
    void anAncestorCountsForTheSandboxDnsToo() {
        assertThat(p.mayResolve(PY, List.of("/bin/sh", CURL), "api.example.com"))
                .isTrue();
        assertThat(p.mayResolve(PY, List.of("/bin/sh"), "api.example.com")).isFalse();
    }

    @Test
    void anAncestorThatAnEndpointListsCounts() {
        assertThat(p.mayAdmit(l4(PY, List.of("/bin/sh", CURL), "api.example.com", 443)))
                .isTrue();
        assertThat(p.mayAdmit(l4(PY, List.of("/bin/sh"), "api.example.com", 443)))
                .isFalse();
    }

    @Test
    void whenNoEndpointCouldAdmitTheNameEvaluatingItWithoutAddressesDenies() {
        for (L4Request r : List.of(
                l4(CURL, "c2VjcmV0.attacker.example", 443),
                l4(PY, "api.example.com", 443),
                l4(CURL, "api.example.com", 80),
                l4(CURL, "db.internal", 5432))) {
            assertThat(p.mayAdmit(r)).as(r.toString()).isFalse();
            assertThat(p.evaluate(r).verdict()).as(r.toString()).isEqualTo(Verdict.DENY);
        }
    }

    @Test
    void anIpLiteralNeedsNoResolutionAndIsAnsweredAsItsEvaluation() {
        assertThat(p.mayAdmit(l4(CURL, "10.0.0.5", 443))).isTrue();
        assertThat(p.mayAdmit(l4(CURL, "10.0.0.6", 443))).isFalse();
        assertThat(p.mayAdmit(l4(PSQL, "10.20.1.1", 5432))).isTrue();
    }
}
