package dev.openshell.policy.engine;

import dev.openshell.policy.match.AddressClass;
import dev.openshell.policy.match.DestinationGuard;
import dev.openshell.policy.match.RequestHost;
import dev.openshell.policy.match.RequestTarget;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.DecidingEndpoint;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import dev.openshell.policy.net.HostName;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The sentences decisions carry (see POLICY-SEMANTICS.md for their shapes). Paths in reasons are
 * the request path without its query: query values never reach a reason or a log.
 */
final class Reasons {

    static final String GUARD_RULE = "destination-guard";

    private Reasons() {}

    static Decision invalidHost(String host) {
        return noPolicy(null, "invalid host " + quote(host), null);
    }

    static Decision guardAlwaysDenied(String host, InetAddress address, AddressClass cls) {
        return noPolicy(
                GUARD_RULE,
                host + " resolves to " + addressText(address) + ", " + cls.description() + ", which is never allowed",
                null);
    }

    static Decision guardHostAddress(String host, InetAddress address) {
        return noPolicy(
                GUARD_RULE,
                host + " resolves to " + addressText(address) + ", an address of this host, which is never allowed",
                null);
    }

    static Decision guardHostUnknown(String host, InetAddress address, String why) {
        return noPolicy(
                GUARD_RULE,
                host + " resolves to " + addressText(address) + ", which may be an address of this host (cannot tell: "
                        + why + "), so it is not allowed",
                null);
    }

    static Decision guardPrivate(CompiledEndpoint e, String host, InetAddress address) {
        return deny(
                Layer.L4,
                e.deciding,
                GUARD_RULE,
                host + " resolves to " + addressText(address)
                        + ", a private address not listed in allowed_ips of policy " + e.policyKey,
                null);
    }

    static Decision noEndpoint(String hostPort, String binary) {
        return noPolicy(null, "no policy allows connections to " + hostPort, addEndpoint(hostPort, binary));
    }

    static Decision binaryNotListed(CompiledEndpoint first, String hostPort, String binary) {
        return noPolicy(
                null,
                "no policy allows " + binary + " to reach " + hostPort + "; policy " + first.policyKey
                        + " allows it for " + first.binaries.listing(),
                addEndpoint(hostPort, binary));
    }

    static Decision allowL4(CompiledEndpoint e, String hostPort, String binary, String matched, boolean inspect) {
        String via = matched.equals(binary) ? "" : " (via ancestor " + matched + ")";
        return new Decision(
                Verdict.ALLOW,
                Layer.L4,
                e.deciding,
                e.endpointRuleName,
                "policy " + e.policyKey + " allows " + binary + " to reach " + hostPort + via,
                inspect,
                Optional.empty());
    }

    static Decision invalidTarget(CompiledEndpoint e, String method, String rawPath, String hostPort, String error) {
        return deny(
                Layer.L7, e.deciding, null, method + " " + rawPath + " on " + hostPort + " is denied: " + error, null);
    }

    static Decision allowL7(
            CompiledEndpoint e, Optional<String> rule, String method, String rawPath, RequestHost host, int port) {
        return new Decision(
                Verdict.ALLOW,
                Layer.L7,
                e.deciding,
                rule,
                // One concatenation, no intermediate host:port string: this runs on every allowed request.
                "policy " + e.policyKey + " allows " + method + " " + rawPath + " on " + host.display() + ":" + port
                        + " (" + rule.orElseThrow() + ")",
                false,
                Optional.empty());
    }

    /** A deny rule matched; when only through the folded path, the reason says how the path reads. */
    static Decision denyRule(CompiledEndpoint e, int j, String method, RequestTarget target, String hostPort) {
        CompiledRule rule = e.denyRules[j];
        String reason = method + " " + target.canonicalPath() + " on " + hostPort + " is denied by policy "
                + e.policyKey + " " + e.denyRuleNames[j] + " (" + rule.display() + ")";
        if (!rule.matchesExactPath(target)) {
            reason += "; the path reads as " + target.folded();
        }
        return l7(e, e.denyRuleNames[j], reason, null);
    }

    static Decision notAllowed(CompiledEndpoint e, String method, String rawPath, String hostPort, String binary) {
        String why = e.access != null
                ? e.accessRule + " allows " + methods(e.access)
                : (e.rules.length == 1 ? "its rule does not match" : "none of its " + e.rules.length + " rules match");
        String reason = method + " " + rawPath + " is not allowed on " + hostPort + " by policy " + e.policyKey + " ("
                + why + ")";
        String suggestion = "--add-allow " + hostPort + " " + method + " " + rawPath + " --binary " + binary;
        return l7(e, e.accessRule, reason, suggestion);
    }

    /** A request whose method and path the endpoint allows, refused for its body or its size. */
    static Decision refused(
            CompiledEndpoint e, RequestBounds.Refusal refusal, String method, String rawPath, String hostPort) {
        String reason = method + " " + rawPath + " is not allowed on " + hostPort + " by policy " + e.policyKey + " ("
                + refusal.why() + ")";
        return l7(e, refusal.rule(), reason, null);
    }

    /** The same decision let through because its endpoint is in audit mode. */
    static Decision audited(Decision d) {
        return new Decision(
                Verdict.AUDIT_ALLOW,
                d.layer(),
                d.endpoint(),
                d.rule(),
                d.reason() + "; allowed because the endpoint's enforcement is audit",
                false,
                d.suggestion());
    }

    private static Decision l7(CompiledEndpoint e, String rule, String reason, String suggestion) {
        return deny(Layer.L7, e.deciding, rule, reason, suggestion);
    }

    /** An L4 denial that no policy decided (nothing matched, or the guard ruled first). */
    private static Decision noPolicy(String rule, String reason, String suggestion) {
        return deny(Layer.L4, Optional.empty(), rule, reason, suggestion);
    }

    /** A denial; {@code rule} and {@code suggestion} may be null here (none). */
    private static Decision deny(
            Layer layer, Optional<DecidingEndpoint> endpoint, String rule, String reason, String suggestion) {
        return new Decision(
                Verdict.DENY,
                layer,
                endpoint,
                Optional.ofNullable(rule),
                reason,
                false,
                Optional.ofNullable(suggestion));
    }

    private static String addEndpoint(String hostPort, String binary) {
        return "--add-endpoint " + hostPort + " --binary " + binary;
    }

    private static String methods(Access access) {
        return switch (access) {
            case READ_ONLY -> "GET, HEAD, OPTIONS";
            case READ_WRITE -> "GET, HEAD, OPTIONS, POST, PUT, PATCH";
            case FULL -> "every method";
        };
    }

    /** The address as given, plus the IPv4 address it embeds when the guard judged that one. */
    private static String addressText(InetAddress address) {
        InetAddress inner = DestinationGuard.unwrap(address);
        String text = HostName.format(address);
        return inner == address ? text : text + " (" + inner.getHostAddress() + ")";
    }

    /** Quotes untrusted text for a reason, escaping control characters. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        int limit = Math.min(s.length(), 256);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > limit) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
