package dev.openshell.policy.engine;

import dev.openshell.policy.match.RequestHost;
import dev.openshell.policy.match.RequestTarget;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L7Request;
import java.util.Optional;

/**
 * Collects what each admitting endpoint says about one HTTP request and combines it: an
 * enforced endpoint's deny rule denies; an audit endpoint's deny rule lets the request through
 * as audit-allow; otherwise any allow allows; otherwise an audit endpoint that would have denied
 * makes it audit-allow; otherwise it is denied. Only the first endpoint (document order) of each
 * kind is kept, which is the one reasons name.
 */
final class L7Verdicts {

    CompiledEndpoint enforcedDeny;
    private int enforcedDenyRule;
    private CompiledEndpoint auditDeny;
    private int auditDenyRule;
    private CompiledEndpoint allow;
    private Optional<String> allowRule;
    private CompiledEndpoint noMatch;
    private RequestBounds.Refusal noMatchRefusal;
    private CompiledEndpoint auditNoMatch;
    private RequestBounds.Refusal auditNoMatchRefusal;

    /** Records the verdict of one endpoint that admits the connection. */
    void judge(CompiledEndpoint e, L7Request request, RequestTarget target) {
        String method = request.method();
        if (!e.rest) {
            recordAllow(e, e.endpointRuleName); // an L4-only endpoint does not look at requests
            return;
        }
        for (int j = 0; j < e.denyRules.length; j++) {
            if (e.denyRules[j].matches(method, target)) {
                if (e.audit) {
                    if (auditDeny == null) {
                        auditDeny = e;
                        auditDenyRule = j;
                    }
                } else if (enforcedDeny == null) {
                    enforcedDeny = e;
                    enforcedDenyRule = j;
                }
                return;
            }
        }
        Optional<String> allowing = allowingRule(e, method, target);
        RequestBounds.Refusal refusal = allowing.isEmpty() ? null : e.bounds.check(request);
        if (allowing.isPresent() && refusal == null) {
            recordAllow(e, allowing);
            return;
        }
        if (e.audit) {
            if (auditNoMatch == null) {
                auditNoMatch = e;
                auditNoMatchRefusal = refusal;
            }
        } else if (noMatch == null) {
            noMatch = e;
            noMatchRefusal = refusal;
        }
    }

    /** The access preset or rule of {@code e} that allows the method and target, if one does. */
    private static Optional<String> allowingRule(CompiledEndpoint e, String method, RequestTarget target) {
        if (e.access != null && e.access.allows(method)) {
            return e.accessRuleName;
        }
        for (int i = 0; i < e.rules.length; i++) {
            if (e.rules[i].matches(method, target)) {
                return e.ruleNameOptions.get(i);
            }
        }
        return Optional.empty();
    }

    private void recordAllow(CompiledEndpoint e, Optional<String> rule) {
        if (allow == null) {
            allow = e;
            allowRule = rule;
        }
    }

    Decision decide(String method, RequestTarget target, RequestHost host, int port, String binary) {
        String path = target.canonicalPath();
        if (enforcedDeny == null && auditDeny == null && allow != null) {
            return Reasons.allowL7(allow, allowRule, method, path, host, port); // the common case
        }
        String hostPort = host.withPort(port);
        if (enforcedDeny != null) {
            return Reasons.denyRule(enforcedDeny, enforcedDenyRule, method, target, hostPort);
        }
        if (auditDeny != null) {
            return Reasons.audited(Reasons.denyRule(auditDeny, auditDenyRule, method, target, hostPort));
        }
        if (auditNoMatch != null) {
            return Reasons.audited(notAllowed(auditNoMatch, auditNoMatchRefusal, method, path, hostPort, binary));
        }
        return notAllowed(noMatch, noMatchRefusal, method, path, hostPort, binary);
    }

    private static Decision notAllowed(
            CompiledEndpoint e,
            RequestBounds.Refusal refusal,
            String method,
            String path,
            String hostPort,
            String binary) {
        return refusal == null
                ? Reasons.notAllowed(e, method, path, hostPort, binary)
                : Reasons.refused(e, refusal, method, path, hostPort);
    }
}
