package dev.openshell.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.match.HostPattern;
import dev.openshell.policy.match.PathGlob;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.DecidingEndpoint;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.model.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares the indexed L4 evaluation with a linear scan over every endpoint in document order on
 * random policies whose exact and wildcard hosts overlap heavily, so that candidates from several
 * index maps must be merged in the right order; {@link CompiledPolicy#mayAdmit} and {@link
 * CompiledPolicy#mayResolve} must agree with the scan too. Seed printed on failure.
 */
class IndexedLookupPropertyTest {

    private static final String[] LABELS = {"a", "b", "c"};
    private static final String[] BINARIES = {"/bin/a", "/bin/b", "/opt/x/bin/a", "/opt/y/bin/c"};
    private static final String[] BINARY_REFS = {"/bin/a", "/bin/b", "/opt/*/bin/a", "/opt/**"};

    @Test
    void indexAgreesWithLinearScan() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int allowed = 0;
        for (int round = 0; round < 200; round++) {
            Policy policy = randomPolicy(rnd);
            CompiledPolicy compiled = PolicyEngine.compile(policy);
            for (int n = 0; n < 100; n++) {
                String host = randomHost(rnd, 1 + rnd.nextInt(4));
                int port = 440 + rnd.nextInt(4);
                String binary = BINARIES[rnd.nextInt(BINARIES.length)];
                L4Request req = new L4Request(binary, List.of(), host, port, List.of());
                Decision actual = compiled.evaluate(req);
                Decision expected = linearScan(policy, req);
                String got = summary(actual);
                String want = summary(expected);
                if (!got.equals(want)) {
                    assertThat(got)
                            .as("seed=%d host=%s:%d binary=%s policy=%s", seed, host, port, binary, policy)
                            .isEqualTo(want);
                }
                // Without addresses (no endpoint here lacks a host) the scan's allow is exactly "could admit".
                if (compiled.mayAdmit(req) != expected.permits()) {
                    assertThat(compiled.mayAdmit(req))
                            .as("mayAdmit seed=%d host=%s:%d binary=%s policy=%s", seed, host, port, binary, policy)
                            .isEqualTo(expected.permits());
                }
                boolean named = namedFor(policy, host, binary);
                if (compiled.mayResolve(binary, List.of(), host) != named) {
                    assertThat(compiled.mayResolve(binary, List.of(), host))
                            .as("mayResolve seed=%d host=%s binary=%s policy=%s", seed, host, binary, policy)
                            .isEqualTo(named);
                }
                allowed += actual.permits() ? 1 : 0;
            }
        }
        assertThat(allowed).as("seed=%d", seed).isGreaterThan(400);
    }

    private static String summary(Decision d) {
        return d.verdict() + " " + d.endpoint() + " " + d.inspect() + " " + d.reason();
    }

    /** Whether some endpoint's host matches, on any port, in a policy listing the binary. */
    private static boolean namedFor(Policy policy, String host, String binary) {
        return policy.networkPolicies().values().stream()
                .filter(np -> np.binaries().stream()
                        .anyMatch(b -> PathGlob.compile(b.path()).matches(binary)))
                .flatMap(np -> np.endpoints().stream())
                .anyMatch(e -> HostPattern.of(e.host()).matches(host));
    }

    private static Decision linearScan(Policy policy, L4Request req) {
        String hostPort = req.host() + ":" + req.port();
        NetworkPolicy firstHostMatch = null;
        NetworkPolicy decider = null;
        int deciderIndex = -1;
        boolean rest = false;
        for (NetworkPolicy np : policy.networkPolicies().values()) {
            for (int i = 0; i < np.endpoints().size(); i++) {
                Endpoint e = np.endpoints().get(i);
                if (!HostPattern.of(e.host()).matches(req.host()) || !e.ports().contains(req.port())) {
                    continue;
                }
                if (firstHostMatch == null) {
                    firstHostMatch = np;
                }
                boolean binaryOk = np.binaries().stream()
                        .anyMatch(b -> PathGlob.compile(b.path()).matches(req.binary()));
                if (!binaryOk) {
                    continue;
                }
                boolean isRest = e.protocol() == Protocol.REST;
                if (decider == null || (isRest && !rest)) {
                    decider = np;
                    deciderIndex = i;
                    rest = isRest;
                }
            }
        }
        if (decider != null) {
            return new Decision(
                    Verdict.ALLOW,
                    Layer.L4,
                    Optional.of(new DecidingEndpoint(decider.key(), deciderIndex)),
                    Optional.empty(),
                    "policy " + decider.key() + " allows " + req.binary() + " to reach " + hostPort,
                    rest,
                    Optional.empty());
        }
        if (firstHostMatch != null) {
            String listing = String.join(
                    ", ",
                    firstHostMatch.binaries().stream().map(BinaryRef::path).toList());
            return Decision.deny(
                    Layer.L4,
                    "none",
                    "no policy allows " + req.binary() + " to reach " + hostPort + "; policy " + firstHostMatch.key()
                            + " allows it for " + listing);
        }
        return Decision.deny(Layer.L4, "none", "no policy allows connections to " + hostPort);
    }

    private static Policy randomPolicy(Random rnd) {
        Map<String, NetworkPolicy> policies = new LinkedHashMap<>();
        int count = 1 + rnd.nextInt(6);
        for (int p = 0; p < count; p++) {
            List<Endpoint> endpoints = new ArrayList<>();
            int n = 1 + rnd.nextInt(5);
            for (int i = 0; i < n; i++) {
                String suffix = randomHost(rnd, 2 + rnd.nextInt(2));
                String host = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextBoolean() ? suffix : randomHost(rnd, 1) + "." + suffix;
                    case 1 -> "*." + suffix;
                    default -> "**." + suffix;
                };
                List<Integer> ports = rnd.nextBoolean() ? List.of(440 + rnd.nextInt(4)) : List.of(440, 441, 442);
                Protocol protocol = rnd.nextBoolean() ? Protocol.REST : Protocol.L4;
                endpoints.add(new Endpoint(
                        host,
                        ports,
                        protocol,
                        Enforcement.ENFORCE,
                        protocol == Protocol.REST ? dev.openshell.policy.model.Access.FULL : null,
                        List.of(),
                        List.of(),
                        List.of()));
            }
            List<BinaryRef> binaries = new ArrayList<>();
            for (String b : BINARY_REFS) {
                if (rnd.nextInt(3) == 0) {
                    binaries.add(new BinaryRef(b));
                }
            }
            if (binaries.isEmpty()) {
                binaries.add(new BinaryRef(BINARY_REFS[0]));
            }
            policies.put("p" + p, new NetworkPolicy("p" + p, null, endpoints, binaries));
        }
        return Policy.denyAll().withNetworkPolicies(policies);
    }

    private static String randomHost(Random rnd, int labels) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < labels; i++) {
            parts.add(LABELS[rnd.nextInt(LABELS.length)]);
        }
        return String.join(".", parts);
    }
}
