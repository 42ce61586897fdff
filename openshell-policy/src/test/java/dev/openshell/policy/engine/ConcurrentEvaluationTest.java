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
import dev.openshell.policy.model.L7Request;
import dev.openshell.policy.model.Layer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One compiled policy shared by several threads gives each the same decisions as a lone thread. */
class ConcurrentEvaluationTest {

    @Test
    void sharedEvaluatorIsThreadSafe() throws Exception {
        CompiledPolicy p = PolicyEngine.compile(policy().network(
                        "gh",
                        List.of("/usr/bin/gh", "/opt/**"),
                        ep("api.github.com", 443).rest(Access.READ_ONLY).deny("*", "/admin/**"),
                        ep("*.githubusercontent.com", 443),
                        ep("**.github.io", 443).allow("GET", "/docs/*"))
                .build());
        List<L7Request> requests = new ArrayList<>();
        String[] hosts = {"api.github.com", "raw.githubusercontent.com", "a.b.github.io", "evil.example"};
        String[] targets = {"/", "/admin/x", "/docs/a", "/docs/a/b", "/x%2Fy"};
        String[] methods = {"GET", "POST"};
        String[] binaries = {"/usr/bin/gh", "/opt/tool/bin/x", "/usr/bin/curl"};
        for (String h : hosts) {
            for (String t : targets) {
                for (String m : methods) {
                    for (String b : binaries) {
                        requests.add(l7(l4(b, h, 443, "140.82.112.3"), m, t));
                    }
                }
            }
        }
        List<Decision> expected = requests.stream().map(p::evaluate).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        for (int i = 0; i < requests.size(); i++) {
                            if (!p.evaluate(requests.get(i)).equals(expected.get(i))) {
                                return false;
                            }
                            // An L7 decision is only reached when the connection is admitted.
                            boolean admitted =
                                    p.evaluate(requests.get(i).connection()).permits();
                            if (admitted != (expected.get(i).layer() == Layer.L7)) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
