package dev.openshell.bench;

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
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A generated policy of a given size, shaped like a large real one: 100 network policies of 10
 * endpoints each; hosts a mix of exact names, {@code *.} and {@code **.} wildcards; half the
 * endpoints REST (presets, explicit rules with path globs and query globs, deny rules), half L4;
 * several binaries per policy, some of them globs. Also generates requests that hit it, mostly
 * allowed, some denied.
 */
final class BenchmarkPolicies {

    static final int POLICIES = 100;
    static final int ENDPOINTS_PER_POLICY = 10;

    private BenchmarkPolicies() {}

    /** The 1,000-endpoint policy. */
    static Policy policy() {
        Map<String, NetworkPolicy> out = new LinkedHashMap<>();
        for (int p = 0; p < POLICIES; p++) {
            List<Endpoint> endpoints = new ArrayList<>();
            for (int e = 0; e < ENDPOINTS_PER_POLICY; e++) {
                endpoints.add(endpoint(p, e));
            }
            List<BinaryRef> binaries = List.of(
                    new BinaryRef("/usr/bin/tool" + p),
                    new BinaryRef("/usr/bin/python3"),
                    new BinaryRef("/opt/app" + p + "/bin/*"),
                    new BinaryRef("/usr/lib/node_modules/pkg" + p + "/**"));
            String key = "svc_" + p;
            out.put(key, new NetworkPolicy(key, null, endpoints, binaries));
        }
        return Policy.denyAll().withNetworkPolicies(out);
    }

    /** Endpoint e of policy p: host kind by e % 3, REST when e is even. */
    static Endpoint endpoint(int p, int e) {
        String host = host(p, e);
        List<Integer> ports = e % 4 == 3 ? List.of(80, 443) : List.of(443);
        if (e % 2 == 1) {
            return new Endpoint(host, ports, Protocol.L4, Enforcement.ENFORCE, null, List.of(), List.of(), List.of());
        }
        List<HttpRule> deny = List.of(HttpRule.of("DELETE", "/v1/admin/**"));
        if (e % 4 == 0) {
            return new Endpoint(
                    host, ports, Protocol.REST, Enforcement.ENFORCE, Access.READ_ONLY, List.of(), deny, List.of());
        }
        List<HttpRule> rules = List.of(
                HttpRule.of("GET", "/v1/items/*"),
                new HttpRule("POST", "/v1/items/*/comments", Map.of("lang", QueryMatch.glob("en*"))),
                HttpRule.of("PUT", "/v1/files/**"),
                HttpRule.of("GET", "/v1/[a-z]*/status"));
        return new Endpoint(host, ports, Protocol.REST, Enforcement.ENFORCE, null, rules, deny, List.of());
    }

    static String host(int p, int e) {
        return switch (e % 3) {
            case 0 -> "api" + e + ".service" + p + ".example.com";
            case 1 -> "*.cdn" + e + ".service" + p + ".example.net";
            default -> "**.zone" + e + ".service" + p + ".example.org";
        };
    }

    /** A host that endpoint e of policy p matches. */
    static String requestHost(int p, int e) {
        return switch (e % 3) {
            case 0 -> "api" + e + ".service" + p + ".example.com";
            case 1 -> "edge.cdn" + e + ".service" + p + ".example.net";
            default -> "a.b.zone" + e + ".service" + p + ".example.org";
        };
    }

    /** L4 requests: 90% allowed (various binaries), 10% denied (unknown host or binary). */
    static L4Request[] l4Requests(int n, long seed) {
        Random rnd = new Random(seed);
        L4Request[] out = new L4Request[n];
        List<InetAddress> addrs = List.of(address("140.82.112.3"));
        for (int i = 0; i < n; i++) {
            int p = rnd.nextInt(POLICIES);
            int e = rnd.nextInt(ENDPOINTS_PER_POLICY);
            int kind = rnd.nextInt(10);
            String binary = switch (kind % 3) {
                case 0 -> "/usr/bin/tool" + p;
                case 1 -> "/opt/app" + p + "/bin/worker";
                default -> "/usr/lib/node_modules/pkg" + p + "/bin/cli.js";
            };
            String host = requestHost(p, e);
            if (kind == 9) {
                if (rnd.nextBoolean()) {
                    host = "unknown" + i + ".example.com";
                } else {
                    binary = "/usr/bin/curl";
                }
            }
            out[i] = new L4Request(binary, List.of("/bin/bash"), host, 443, addrs);
        }
        return out;
    }

    /** L7 requests on REST endpoints: mostly allowed, some denied by rule or by deny rule. */
    static L7Request[] l7Requests(int n, long seed) {
        Random rnd = new Random(seed);
        L7Request[] out = new L7Request[n];
        List<InetAddress> addrs = List.of(address("140.82.112.3"));
        for (int i = 0; i < n; i++) {
            int p = rnd.nextInt(POLICIES);
            int e = 2 * rnd.nextInt(ENDPOINTS_PER_POLICY / 2); // REST endpoints are the even ones
            L4Request conn = new L4Request("/usr/bin/tool" + p, List.of(), requestHost(p, e), 443, addrs);
            String[] methodTarget = switch (rnd.nextInt(8)) {
                case 0 -> new String[] {"GET", "/v1/items/" + i};
                case 1 -> new String[] {"POST", "/v1/items/" + i + "/comments?lang=en-GB&page=2"};
                case 2 -> new String[] {"PUT", "/v1/files/a/b/c%20d.txt"};
                case 3 -> new String[] {"GET", "/v1/orders/status"};
                case 4 -> new String[] {"HEAD", "/v1/items/" + i};
                case 5 -> new String[] {"DELETE", "/v1/admin/users/" + i};
                case 6 -> new String[] {"PATCH", "/v1/items/" + i};
                default -> new String[] {"GET", "/v1/items/" + i + "?q=search+term"};
            };
            out[i] = new L7Request(conn, methodTarget[0], methodTarget[1]);
        }
        return out;
    }

    /**
     * The same requests with their paths spelled the way an agent trying to pass a deny rule
     * would: an upper-case segment, an escaped letter, a matrix parameter, an empty segment
     * ({@code /v1/items/7} becomes {@code /V1//%69tems;jsessionid=0/7}), so every one takes the
     * slow decoding and folding path.
     */
    static L7Request[] spelledL7Requests(int n, long seed) {
        L7Request[] plain = l7Requests(n, seed);
        L7Request[] out = new L7Request[n];
        for (int i = 0; i < n; i++) {
            out[i] = new L7Request(plain[i].connection(), plain[i].method(), spell(plain[i].target()));
        }
        return out;
    }

    private static String spell(String target) {
        int q = target.indexOf('?');
        String[] segments =
                (q < 0 ? target : target.substring(0, q)).substring(1).split("/");
        StringBuilder sb = new StringBuilder()
                .append('/')
                .append(segments[0].toUpperCase())
                .append('/');
        for (int s = 1; s < segments.length; s++) {
            String segment = segments[s];
            if (s == 1) {
                segment = "%" + Integer.toHexString(segment.charAt(0)) + segment.substring(1) + ";jsessionid=0";
            }
            sb.append('/').append(segment);
        }
        return q < 0 ? sb.toString() : sb + target.substring(q);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(
                    literal, InetAddress.ofLiteral(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
