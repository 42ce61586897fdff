package dev.openshell.api.decision;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.validation.TextRules;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One decision of a sandbox's egress proxy, as its decision log line carries it and {@code GET
 * /api/v1/decisions} returns it (OCSF-shaped).
 *
 * @param sandbox the sandbox id
 * @param binary the calling program's executable, from {@code /proc} (never argv)
 * @param pid the calling process; absent when it could not be identified
 * @param ancestors the executables of its parent, grandparent, ... (nearest first)
 * @param method the HTTP method, {@code CONNECT} for a tunnel; absent at L4 on a captured connection
 * @param path the request path with query values redacted ({@code ?q=*}); absent at L4
 * @param policy the network policy that decided, if one did
 * @param rule the rule that decided ({@code deny_rules[0]}, {@code destination-guard}, {@code limit:...})
 * @param reason why, one line, fit to show a user
 * @param policyRevision the policy revision in force (the proxy's log calls it {@code generation})
 * @param latencyUs how long the decision and connection set-up took, in microseconds
 * @param mode absent means {@link CaptureMode#EXPLICIT}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DecisionRecord(
        Instant time,
        String sandbox,
        String binary,
        Integer pid,
        List<String> ancestors,
        String host,
        int port,
        String method,
        String path,
        Verdict verdict,
        Layer layer,
        String policy,
        String rule,
        String reason,
        @JsonAlias("generation") long policyRevision,
        long latencyUs,
        CaptureMode mode) {

    public DecisionRecord {
        ancestors = TextRules.copyOf("ancestors", ancestors);
    }
}
