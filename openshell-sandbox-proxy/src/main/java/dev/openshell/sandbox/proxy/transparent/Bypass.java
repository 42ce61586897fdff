package dev.openshell.sandbox.proxy.transparent;

import dev.openshell.policy.Decision;
import dev.openshell.policy.Layer;
import dev.openshell.policy.Verdict;
import dev.openshell.sandbox.proxy.http.RejectedRequest;

/**
 * Why a captured connection was rejected, as a loggable decision: verdict deny, layer l4, rule
 * {@code bypass:<reason>} ({@link BypassReason}, or the error of a refused plaintext head). Every such record is a finding (something in the sandbox tried to go
 * around the proxy and was stopped); the supervisor reports them.
 */
final class Bypass {

    static final String RULE_PREFIX = "bypass:";

    private Bypass() {}

    /** A denial with rule {@code bypass:<reason>}; {@code policy} names the deciding policy, if any. */
    static Decision deny(BypassReason reason, String detail, String policy) {
        return new Decision(Verdict.DENY, Layer.L4, policy, -1, RULE_PREFIX + reason.wire(), detail, false, null);
    }

    /** A plaintext head the strict scan refused: rule {@code bypass:<error>}, e.g. {@code bypass:bad_request}. */
    static Decision headRefused(RejectedRequest why) {
        return new Decision(
                Verdict.DENY, Layer.L4, null, -1, RULE_PREFIX + why.error().wire(), why.detail(), false, null);
    }

    /** How a decision on a captured connection is logged: denials as findings, admissions marked transparent. */
    static Decision logged(Decision decision) {
        String rule = decision.rule();
        if (decision.permits()) {
            rule = rule == null ? "transparent" : "transparent:" + rule;
        } else if (rule == null || !rule.startsWith(RULE_PREFIX)) {
            String detail = rule == null ? decision.reason() : decision.reason() + " (rule " + rule + ")";
            return deny(BypassReason.POLICY_DENIED, detail, decision.policy());
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
