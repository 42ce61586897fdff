package dev.openshell.policy.engine;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.model.QueryMatch;
import dev.openshell.policy.model.RequestLimits;
import dev.openshell.policy.net.HostName;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds policies and requests in code for engine tests (the YAML parser is tested elsewhere). */
final class TestPolicies {

    private final Map<String, NetworkPolicy> policies = new LinkedHashMap<>();

    static TestPolicies policy() {
        return new TestPolicies();
    }

    TestPolicies network(String key, List<String> binaries, Ep... endpoints) {
        policies.put(
                key,
                new NetworkPolicy(
                        key,
                        null,
                        Arrays.stream(endpoints).map(Ep::build).toList(),
                        binaries.stream().map(BinaryRef::new).toList()));
        return this;
    }

    Policy build() {
        return Policy.denyAll().withNetworkPolicies(policies);
    }

    static Ep ep(String host, Integer... ports) {
        return new Ep(host, List.of(ports));
    }

    /** A mutable endpoint description; {@link #build} makes the record. */
    static final class Ep {
        private final String host;
        private final List<Integer> ports;
        private Protocol protocol = Protocol.L4;
        private Enforcement enforcement = Enforcement.ENFORCE;
        private Access access;
        private final List<HttpRule> rules = new ArrayList<>();
        private final List<HttpRule> deny = new ArrayList<>();
        private final List<String> allowedIps = new ArrayList<>();
        private RequestLimits limits = RequestLimits.NONE;

        Ep(String host, List<Integer> ports) {
            this.host = host;
            this.ports = ports;
        }

        Ep rest(Access a) {
            protocol = Protocol.REST;
            access = a;
            return this;
        }

        Ep allow(String method, String path) {
            protocol = Protocol.REST;
            rules.add(HttpRule.of(method, path));
            return this;
        }

        Ep allow(String method, String path, Map<String, QueryMatch> query) {
            protocol = Protocol.REST;
            rules.add(new HttpRule(method, path, query));
            return this;
        }

        Ep deny(String method, String path) {
            deny.add(HttpRule.of(method, path));
            return this;
        }

        Ep audit() {
            enforcement = Enforcement.AUDIT;
            return this;
        }

        Ep allowedIps(String... cidrs) {
            allowedIps.addAll(List.of(cidrs));
            return this;
        }

        Ep limits(Integer maxUrlBytes, Integer maxQueryBytes, Integer maxHeaderBytes) {
            limits = new RequestLimits(maxUrlBytes, maxQueryBytes, maxHeaderBytes);
            return this;
        }

        Endpoint build() {
            return new Endpoint(host, ports, protocol, enforcement, access, rules, deny, allowedIps, limits);
        }
    }

    static L4Request l4(String binary, String host, int port, String... addresses) {
        return l4(binary, List.of(), host, port, addresses);
    }

    static L4Request l4(String binary, List<String> ancestors, String host, int port, String... addresses) {
        List<InetAddress> addrs =
                Arrays.stream(addresses).map(HostName::literal).toList();
        return new L4Request(binary, ancestors, host, port, addrs);
    }

    static L7Request l7(L4Request conn, String method, String target) {
        return new L7Request(conn, method, target);
    }

    /** A request with a body (Content-Length above 0 or chunked). */
    static L7Request withBody(L4Request conn, String method, String target) {
        return new L7Request(conn, method, target, 0, true);
    }

    /** A request without a body whose header fields take {@code headerBytes}. */
    static L7Request withHeaders(L4Request conn, String method, String target, int headerBytes) {
        return new L7Request(conn, method, target, headerBytes, false);
    }
}
