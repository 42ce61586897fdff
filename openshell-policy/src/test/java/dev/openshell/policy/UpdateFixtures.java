package dev.openshell.policy;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.Protocol;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for policies in update and diff tests. */
final class UpdateFixtures {

    private UpdateFixtures() {}

    static Policy policy(NetworkPolicy... policies) {
        Map<String, NetworkPolicy> map = new LinkedHashMap<>();
        for (NetworkPolicy p : policies) {
            map.put(p.key(), p);
        }
        return Policy.denyAll().withNetworkPolicies(map);
    }

    static NetworkPolicy net(String key, List<Endpoint> endpoints, String... binaries) {
        return new NetworkPolicy(
                key,
                null,
                endpoints,
                Arrays.stream(binaries).map(BinaryRef::new).toList());
    }

    static Endpoint l4(String host, Integer... ports) {
        return new Endpoint(
                host, List.of(ports), Protocol.L4, Enforcement.ENFORCE, null, List.of(), List.of(), List.of());
    }

    static Endpoint rest(String host, int port, Access access) {
        return new Endpoint(
                host, List.of(port), Protocol.REST, Enforcement.ENFORCE, access, List.of(), List.of(), List.of());
    }

    static Endpoint restPorts(String host, Access access, Integer... ports) {
        return new Endpoint(
                host, List.of(ports), Protocol.REST, Enforcement.ENFORCE, access, List.of(), List.of(), List.of());
    }

    static Endpoint rules(String host, int port, HttpRule... rules) {
        return new Endpoint(
                host, List.of(port), Protocol.REST, Enforcement.ENFORCE, null, List.of(rules), List.of(), List.of());
    }

    static Endpoint withDeny(Endpoint e, HttpRule... deny) {
        return new Endpoint(
                e.host(),
                e.ports(),
                e.protocol(),
                e.enforcement(),
                e.access(),
                e.rules(),
                List.of(deny),
                e.allowedIps());
    }
}
