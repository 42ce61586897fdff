package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Verdict;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Endpoints listing many ports, out of order: the port lookup is a binary search over them sorted. */
class ManyPortsTest {

    private static final String PY = "/usr/bin/python3";

    @Test
    void everyListedPortAndNoOtherIsAllowed() {
        // descending range plus two ports out of order, as a policy may list them
        Integer[] ports = IntStream.concat(
                        IntStream.of(28444, 443),
                        IntStream.rangeClosed(32768, 60999).map(p -> 93767 - p))
                .boxed()
                .toArray(Integer[]::new);
        CompiledPolicy p = PolicyEngine.compile(
                policy().network("bench", List.of(PY), ep("example.com", ports)).build());

        for (int port : new int[] {443, 28444, 32768, 32769, 45000, 60998, 60999}) {
            assertThat(p.evaluate(l4(PY, "example.com", port, "93.184.216.34")).verdict())
                    .as("port %d", port)
                    .isEqualTo(Verdict.ALLOW);
        }
        for (int port : new int[] {1, 80, 442, 444, 28443, 28445, 32767, 61000, 65535}) {
            assertThat(p.evaluate(l4(PY, "example.com", port, "93.184.216.34")).verdict())
                    .as("port %d", port)
                    .isEqualTo(Verdict.DENY);
        }
    }
}
