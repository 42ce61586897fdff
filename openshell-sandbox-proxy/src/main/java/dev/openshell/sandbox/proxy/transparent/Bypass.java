package dev.openshell.sandbox.proxy.transparent;

import dev.openshell.policy.Decision;
import dev.openshell.policy.Layer;
import dev.openshell.policy.Verdict;

/**
 * Why a captured connection was rejected, as a loggable decision: verdict deny, layer l4, rule
 * {@code bypass:<reason>}. Every such record is a finding (something in the sandbox tried to go
 * around the proxy and was stopped); the supervisor reports them.
 */
final class Bypass {

    /** The connection sent nothing within the wait (a server-speaks-first protocol such as SSH or SMTP). */
    static final String SILENT = "silent";
    /** The first bytes started a ClientHello or request head but did not complete it within the wait. */
    static final String INCOMPLETE = "incomplete";
    /** The client closed before its first bytes named a destination (a port probe, say). */
    static final String CLOSED_EARLY = "closed_early";
    /** Neither a TLS ClientHello nor an HTTP/1.x request. */
    static final String UNKNOWN_PROTOCOL = "unknown_protocol";
    /** A ClientHello without a server name. */
    static final String NO_SNI = "no_sni";
    /** A malformed ClientHello. */
    static final String BAD_CLIENT_HELLO = "bad_client_hello";
    /** A server name or Host that is not a valid host name. */
    static final String INVALID_NAME = "invalid_name";
    /** The name does not resolve. */
    static final String UNRESOLVABLE = "unresolvable";
    /** The name does not resolve to the address connected to (SNI or Host spoofing). */
    static final String NAME_MISMATCH = "name_mismatch";
    /** The calling program could not be identified. */
    static final String IDENTITY = "identity";
    /** The policy does not admit the attributed connection. */
    static final String POLICY_DENIED = "policy_denied";
    /** The connection's original destination could not be recovered. */
    static final String NO_ORIGINAL_DESTINATION = "no_original_destination";

    static final String RULE_PREFIX = "bypass:";

    private Bypass() {}

    /** A denial with rule {@code bypass:<reason>}; {@code policy} names the deciding policy, if any. */
    static Decision deny(String reason, String detail, String policy) {
        return new Decision(Verdict.DENY, Layer.L4, policy, -1, RULE_PREFIX + reason, detail, false, null);
    }

    /** How a decision on a captured connection is logged: denials as findings, admissions marked transparent. */
    static Decision logged(Decision decision) {
        String rule = decision.rule();
        if (decision.permits()) {
            rule = rule == null ? "transparent" : "transparent:" + rule;
        } else if (rule == null || !rule.startsWith(RULE_PREFIX)) {
            String detail = rule == null ? decision.reason() : decision.reason() + " (rule " + rule + ")";
            return deny(POLICY_DENIED, detail, decision.policy());
        }
        return new Decision(
                decision.verdict(),
                decision.layer(),
                decision.policy(),
                decision.endpointIndex(),
                rule,
                decision.reason(),
                decision.inspect(),
                decision.suggestion());
    }
}
