package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The L4 allow cache must only ever answer with the decision the request would get anyway. */
class AllowCacheTest {

    private static final String GH = "/usr/bin/gh";

    private final CompiledPolicy policy = PolicyEngine.compile(policy().network(
                    "gh",
                    List.of(GH, "/usr/bin/git"),
                    ep("api.github.com", 443, 8443),
                    ep("*.githubusercontent.com", 443))
            .build());

    @Test
    void aRepeatedConnectionGetsTheSameDecision() {
        Decision first = policy.evaluate(l4(GH, "api.github.com", 443));
        Decision again = policy.evaluate(l4(new String(GH), "API.github.com.", 443));

        assertThat(again).isSameAs(first);
        assertThat(first.reason()).isEqualTo("policy gh allows /usr/bin/gh to reach api.github.com:443");
    }

    @Test
    void portBinaryAndAncestorEachGetTheirOwnReason() {
        assertThat(policy.evaluate(l4(GH, "api.github.com", 443)).reason())
                .isEqualTo("policy gh allows /usr/bin/gh to reach api.github.com:443");
        assertThat(policy.evaluate(l4(GH, "api.github.com", 8443)).reason())
                .isEqualTo("policy gh allows /usr/bin/gh to reach api.github.com:8443");
        assertThat(policy.evaluate(l4("/usr/bin/git", "api.github.com", 443)).reason())
                .isEqualTo("policy gh allows /usr/bin/git to reach api.github.com:443");
        assertThat(policy.evaluate(l4("/usr/bin/bash", List.of(GH), "api.github.com", 443))
                        .reason())
                .isEqualTo("policy gh allows /usr/bin/bash to reach api.github.com:443 (via ancestor /usr/bin/gh)");
        assertThat(policy.evaluate(l4("/usr/bin/bash", List.of("/usr/bin/git"), "api.github.com", 443))
                        .reason())
                .isEqualTo("policy gh allows /usr/bin/bash to reach api.github.com:443 (via ancestor /usr/bin/git)");
    }

    @Test
    void manyMoreDistinctConnectionsThanSlotsStayCorrect() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 2_000; i++) {
                String host = "h" + i + ".githubusercontent.com";
                assertThat(policy.evaluate(l4(GH, host, 443)).reason())
                        .isEqualTo("policy gh allows /usr/bin/gh to reach " + host + ":443");
            }
        }
    }
}
