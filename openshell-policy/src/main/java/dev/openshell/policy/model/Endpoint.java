package dev.openshell.policy.model;

import java.util.List;

/**
 * A destination a network policy allows.
 *
 * @param host exact host name, IP literal, or {@code *.example.com} / {@code **.example.com};
 *     lower-case ASCII (IDNs are stored in punycode), no trailing dot. {@code null} when the
 *     endpoint is identified by {@code allowedIps} alone.
 * @param ports allowed destination ports (at least one)
 * @param protocol {@link Protocol#L4} (tunnel only) or {@link Protocol#REST} (every HTTP request
 *     is inspected)
 * @param enforcement {@link Enforcement#AUDIT} lets L7 denials through and only logs them
 * @param access an access preset, or {@code null} when {@code rules} are given
 * @param rules explicit allow rules (empty when {@code access} is used)
 * @param denyRules rules that deny even what {@code access} or {@code rules} allow
 * @param allowedIps CIDRs (or single addresses) in private ranges this endpoint may resolve to
 * @param requestLimits bounds on URL, query and header bytes of each request ({@link
 *     RequestLimits#NONE} when not set; needs {@link Protocol#REST})
 */
public record Endpoint(
        String host,
        List<Integer> ports,
        Protocol protocol,
        Enforcement enforcement,
        Access access,
        List<HttpRule> rules,
        List<HttpRule> denyRules,
        List<String> allowedIps,
        RequestLimits requestLimits) {

    public Endpoint {
        ports = List.copyOf(ports);
        rules = List.copyOf(rules);
        denyRules = List.copyOf(denyRules);
        allowedIps = List.copyOf(allowedIps);
        requestLimits = requestLimits == null ? RequestLimits.NONE : requestLimits;
    }

    /** An endpoint without request limits. */
    public Endpoint(
            String host,
            List<Integer> ports,
            Protocol protocol,
            Enforcement enforcement,
            Access access,
            List<HttpRule> rules,
            List<HttpRule> denyRules,
            List<String> allowedIps) {
        this(host, ports, protocol, enforcement, access, rules, denyRules, allowedIps, RequestLimits.NONE);
    }

    /** An L4 endpoint for one host and port with no other settings. */
    public static Endpoint l4(String host, int port) {
        return new Endpoint(
                host, List.of(port), Protocol.L4, Enforcement.ENFORCE, null, List.of(), List.of(), List.of());
    }

    /** Human form used in messages: {@code host:port} or {@code host:[80,443]}. */
    public String display() {
        String h = host == null ? allowedIps.toString() : host;
        return ports.size() == 1 ? h + ":" + ports.getFirst() : h + ":" + ports;
    }
}
