package dev.openshell.cli.policy;

import dev.openshell.policy.model.DecidingEndpoint;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code policy check} found: the connection-level decision and, when HTTP was inspected,
 * the request-level one.
 *
 * @param target {@code host:port}, for notes
 * @param l4 the connection decision
 * @param l7 the request decision, or {@code null} when none was taken
 * @param requestGiven whether {@code --method}/{@code --path} were given
 */
record DecisionReport(String target, Decision l4, Decision l7, boolean requestGiven) {

    /** The decision that settles the outcome. */
    Decision outcome() {
        return l7 != null ? l7 : l4;
    }

    /** Lines for a person: the verdict with its reason, then notes and a suggestion. */
    List<String> lines() {
        Decision d = outcome();
        List<String> lines = new ArrayList<>();
        lines.add(headline(d));
        String note = note();
        if (note != null) {
            lines.add("note: " + note);
        }
        if (!d.permits() && d.suggestion().isPresent()) {
            lines.add("to allow: " + toAllow(d.suggestion().get()));
        }
        return lines;
    }

    /**
     * What to add to the policy file, in words, from the engine's suggestion ({@code --add-endpoint
     * H:P --binary B} or {@code --add-allow H:P METHOD PATH --binary B}), then how to check it.
     */
    static String toAllow(String suggestion) {
        List<String> words = List.of(suggestion.trim().split("\\s+"));
        int binaryAt = words.indexOf("--binary");
        String binary = binaryAt >= 0 && binaryAt + 1 < words.size() ? words.get(binaryAt + 1) : null;
        String forBinary = binary == null ? "" : " for binary " + binary;
        String what;
        if (words.getFirst().equals("--add-endpoint") && words.size() > 1) {
            what = "add an endpoint " + words.get(1) + forBinary + " to network_policies in the policy file";
        } else if (words.getFirst().equals("--add-allow") && words.size() > 3) {
            what = "add an allow rule " + words.get(2) + " " + words.get(3) + " to the endpoint " + words.get(1)
                    + " in the policy file"
                    + (binary == null ? "" : " (" + binary + " must be among its policy's binaries)");
        } else {
            what = "change the policy file (" + suggestion + ")";
        }
        return what + ", then run this check again (the schema: docs/policy-reference.md)";
    }

    /** The {@code -o json|yaml} document. */
    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("verdict", verdict(outcome().verdict()));
        doc.put("l4", decision(l4));
        doc.put("l7", l7 == null ? null : decision(l7));
        doc.put("note", note());
        return doc;
    }

    /** e.g. {@code DENY (l7) policy gh endpoints[0] deny_rules[0]: DELETE /x is denied ...}. */
    static String headline(Decision d) {
        StringBuilder sb = new StringBuilder(verdict(d.verdict()).toUpperCase(Locale.ROOT))
                .append(" (")
                .append(d.layer().wire())
                .append(')');
        Optional<String> endpoint = d.endpoint().map(e -> "endpoints[" + e.index() + "]");
        d.endpoint().ifPresent(e -> sb.append(" policy ").append(e.policy()));
        endpoint.ifPresent(e -> sb.append(' ').append(e));
        d.rule()
                .filter(rule -> !rule.equals(endpoint.orElse(null)))
                // "access: read-only" would read as two labels before the reason's colon.
                .ifPresent(rule -> sb.append(' ').append(rule.replace(": ", "=")));
        return sb.append(": ").append(d.reason()).toString();
    }

    private String note() {
        if (requestGiven && l7 == null && l4.permits()) {
            return target + " is not inspected (no protocol: rest endpoint matched), so every HTTP request on the"
                    + " connection is allowed; --method and --path were not evaluated";
        }
        if (!requestGiven && l4.permits() && l4.inspect()) {
            return "HTTP requests to " + target + " are inspected; add --method and --path to check one";
        }
        return null;
    }

    private static Map<String, Object> decision(Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("verdict", verdict(d.verdict()));
        m.put("layer", d.layer().wire());
        m.put("policy", d.policy().orElse(null));
        // -1 without an endpoint: the document's shape predates Decision's Optional endpoint
        m.put("endpoint_index", d.endpoint().map(DecidingEndpoint::index).orElse(-1));
        m.put("rule", d.rule().orElse(null));
        m.put("reason", d.reason());
        m.put("inspect", d.inspect());
        m.put("suggestion", d.suggestion().orElse(null));
        return m;
    }

    private static String verdict(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
