package dev.openshell.policy.engine;

import dev.openshell.policy.match.BinaryMatcher;
import dev.openshell.policy.match.DestinationGuard;
import dev.openshell.policy.match.HostPattern;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.DecidingEndpoint;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.net.Cidr;
import dev.openshell.policy.net.HostName;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** One endpoint of one network policy, with everything evaluation needs precomputed. */
final class CompiledEndpoint {

    /** Position in document order over all policies; candidates are ordered by it. */
    final int ordinal;

    final String policyKey;
    final int index;
    final String endpointRule;
    /** {@code null} for an endpoint identified by {@code allowed_ips} alone. */
    final HostPattern host;

    final boolean rest;
    final boolean audit;
    final Access access;
    final CompiledRule[] rules;
    final CompiledRule[] denyRules;
    final BinaryMatcher binaries;
    /** {@code access: read-only} etc., or null. */
    final String accessRule;

    final String[] ruleNames;
    final String[] denyRuleNames;

    // What decisions carry, made once here so that an allow decision allocates no Optional.
    final Optional<DecidingEndpoint> deciding;
    final Optional<String> endpointRuleName;
    /** Empty without {@code access}. */
    final Optional<String> accessRuleName;

    final List<Optional<String>> ruleNameOptions;
    /** What the endpoint refuses in a request it otherwise allows (body on read-only, request limits). */
    final RequestBounds bounds;

    /** Sorted, for a binary search: a policy may list tens of thousands of ports. */
    private final int[] ports;

    private final Cidr[] allowedIps;

    /** The address when the host is an IP literal: an explicit allow of it, private or not. */
    private final InetAddress literalHost;

    CompiledEndpoint(int ordinal, String policyKey, int index, Endpoint e, BinaryMatcher binaries) {
        this.ordinal = ordinal;
        this.policyKey = policyKey;
        this.index = index;
        this.endpointRule = "endpoints[" + index + "]";
        this.host = e.host() == null ? null : HostPattern.of(e.host());
        this.ports = e.ports().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.rest = e.protocol() == Protocol.REST;
        this.audit = e.enforcement() == Enforcement.AUDIT;
        this.access = e.access();
        this.rules = e.rules().stream().map(CompiledRule::allow).toArray(CompiledRule[]::new);
        this.denyRules = e.denyRules().stream().map(CompiledRule::deny).toArray(CompiledRule[]::new);
        this.allowedIps = e.allowedIps().stream().map(Cidr::parseForMatching).toArray(Cidr[]::new);
        InetAddress literal = e.host() == null ? null : HostName.literal(e.host());
        this.literalHost = literal == null ? null : DestinationGuard.unwrap(literal);
        this.binaries = binaries;
        this.accessRule = access == null ? null : "access: " + access.yaml();
        this.ruleNames = names("rules", rules.length);
        this.denyRuleNames = names("deny_rules", denyRules.length);
        this.bounds = new RequestBounds(access, accessRule, e.requestLimits());
        this.deciding = Optional.of(new DecidingEndpoint(policyKey, index));
        this.endpointRuleName = Optional.of(endpointRule);
        this.accessRuleName = Optional.ofNullable(accessRule);
        this.ruleNameOptions = Arrays.stream(ruleNames).map(Optional::of).toList();
    }

    private static String[] names(String field, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = field + "[" + i + "]";
        }
        return out;
    }

    boolean hasPort(int port) {
        return Arrays.binarySearch(ports, port) >= 0;
    }

    boolean hasAllowedIps() {
        return allowedIps.length > 0;
    }

    /**
     * Whether the endpoint admits the (unwrapped) private address: its {@code allowed_ips} cover
     * it, or its host is that address written as a literal.
     */
    boolean covers(InetAddress address) {
        if (literalHost != null && literalHost.equals(address)) {
            return true;
        }
        for (Cidr p : allowedIps) {
            if (p.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
