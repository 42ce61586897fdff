package dev.openshell.policy.corpus;

import dev.openshell.policy.model.DecidingEndpoint;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fixture expects of a {@link Decision}; {@code null} fields are not checked.
 *
 * @param suggestionIsNull when true, the decision must carry no suggestion
 */
record ExpectedDecision(
        Verdict verdict,
        Layer layer,
        String policy,
        Integer endpoint,
        String rule,
        List<String> reasonContains,
        List<String> reasonExcludes,
        Boolean inspect,
        List<String> suggestionContains,
        boolean suggestionIsNull) {

    ExpectedDecision {
        reasonContains = List.copyOf(reasonContains);
        reasonExcludes = List.copyOf(reasonExcludes);
        suggestionContains = List.copyOf(suggestionContains);
    }

    /** Every way {@code actual} differs from this expectation; empty when it matches. */
    List<String> mismatches(Decision actual) {
        List<String> out = new ArrayList<>();
        if (actual.verdict() != verdict) {
            out.add("verdict " + actual.verdict() + ", expected " + verdict);
        }
        if (layer != null && actual.layer() != layer) {
            out.add("layer " + actual.layer() + ", expected " + layer);
        }
        String actualPolicy = actual.policy().orElse(null);
        if (policy != null && !policy.equals(actualPolicy)) {
            out.add("policy " + actualPolicy + ", expected " + policy);
        }
        int actualIndex = actual.endpoint().map(DecidingEndpoint::index).orElse(-1);
        if (endpoint != null && endpoint != actualIndex) {
            out.add("endpoint index " + actualIndex + ", expected " + endpoint);
        }
        String actualRule = actual.rule().orElse(null);
        if (rule != null && !rule.equals(actualRule)) {
            out.add("rule " + actualRule + ", expected " + rule);
        }
        String reason = actual.reason() == null ? "" : actual.reason();
        for (String fragment : reasonContains) {
            if (!reason.contains(fragment)) {
                out.add("reason lacks \"" + fragment + "\"");
            }
        }
        for (String fragment : reasonExcludes) {
            if (reason.contains(fragment)) {
                out.add("reason must not contain \"" + fragment + "\"");
            }
        }
        if (inspect != null && actual.inspect() != inspect) {
            out.add("inspect " + actual.inspect() + ", expected " + inspect);
        }
        String suggestion = actual.suggestion().orElse(null);
        if (suggestionIsNull && suggestion != null) {
            out.add("suggestion \"" + suggestion + "\", expected none");
        }
        for (String fragment : suggestionContains) {
            if (suggestion == null || !suggestion.contains(fragment)) {
                out.add("suggestion lacks \"" + fragment + "\"");
            }
        }
        return out;
    }
}
