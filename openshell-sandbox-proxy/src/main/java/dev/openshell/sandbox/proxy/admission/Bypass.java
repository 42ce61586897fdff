package dev.openshell.sandbox.proxy.admission;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import java.util.Optional;

/**
 * Why a captured connection was rejected, as a loggable decision: verdict deny, layer l4, rule
 * {@code bypass:<reason>} ({@link BypassReason}, or the error of a refused plaintext head). Every such record is a finding (something in the sandbox tried to go
 * around the proxy and was stopped); the supervisor reports them.
 */
public final class Bypass {

    static final String RULE_PREFIX = "bypass:";

    private Bypass() {}

    /** A denial with rule {@code bypass:<reason>}, taken before any endpoint did. */
    public static Decision deny(BypassReason reason, String detail) {
        return Decision.deny(Layer.L4, RULE_PREFIX + reason.wire(), detail);
    }

    /** A plaintext head the strict scan refused: rule {@code bypass:<error>}, e.g. {@code bypass:bad_request}. */
    public static Decision headRefused(ErrorCode error, String detail) {
        return Decision.deny(Layer.L4, RULE_PREFIX + error.wire(), detail);
    }

    /**
     * How a decision on a captured connection is logged: denials as findings ({@code
     * bypass:policy_denied} keeps the endpoint that denied, if one did), admissions marked
     * transparent.
     */
    public static Decision logged(Decision decision) {
        Optional<String> rule = decision.rule();
        if (decision.permits()) {
            return decision.withRule(
                    Optional.of(rule.map(r -> "transparent:" + r).orElse("transparent")), decision.reason());
        }
        if (rule.filter(r -> r.startsWith(RULE_PREFIX)).isPresent()) {
            return decision;
        }
        String detail = rule.map(r -> decision.reason() + " (rule " + r + ")").orElse(decision.reason());
        return new Decision(
                Verdict.DENY,
                Layer.L4,
                decision.endpoint(),
                Optional.of(RULE_PREFIX + BypassReason.POLICY_DENIED.wire()),
                detail,
                false,
                Optional.empty());
    }
}
