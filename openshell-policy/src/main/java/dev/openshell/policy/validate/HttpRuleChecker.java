package dev.openshell.policy.validate;

import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.QueryMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Rules for one {@code rules[i].allow} or {@code deny_rules[j]} entry of a REST endpoint. */
final class HttpRuleChecker {

    private static final String TCHARS = "!#$%&'*+-.^_`|~";

    private HttpRuleChecker() {}

    /**
     * Checks a rule; {@code at} is the YAML path of the mapping that holds method, path and query.
     * Returns the canonical rule (method upper-case).
     */
    static HttpRule check(HttpRule rule, String at, boolean deny, Problems problems) {
        String method = rule.method();
        if (method == null) {
            problems.add(at + ".method", "a method is required; use `*` for any method");
        } else if (!isMethod(method)) {
            problems.add(at + ".method", "`" + method + "` is not an HTTP method; expected a token such as GET or `*`");
        } else {
            String upper = method.toUpperCase(Locale.ROOT);
            problems.canonical(at + ".method", method, upper);
            method = upper;
        }
        if (PathRules.requestPathGlob(rule.path(), at + ".path", problems) && deny) {
            PathRules.denyPathGlob(rule.path(), at + ".path", problems);
        }
        Map<String, QueryMatch> query = new LinkedHashMap<>();
        for (Map.Entry<String, QueryMatch> e : rule.query().entrySet()) {
            String qAt = at + ".query." + e.getKey();
            if (e.getKey() == null || e.getKey().isEmpty()) {
                problems.add(at + ".query", "query parameter names must not be empty");
                continue;
            }
            PathRules.common(e.getKey(), qAt, problems);
            List<String> globs = e.getValue() == null ? List.of() : e.getValue().anyOf();
            if (globs.isEmpty()) {
                problems.add(qAt, "expected a glob or `{any: [glob, ...]}` with at least one glob");
                continue;
            }
            List<String> ok = new ArrayList<>();
            for (int i = 0; i < globs.size(); i++) {
                String gAt = globs.size() == 1 ? qAt : qAt + ".any[" + i + "]";
                if (PathRules.queryGlob(globs.get(i), gAt, problems)) {
                    ok.add(globs.get(i));
                }
            }
            query.put(e.getKey(), new QueryMatch(ok));
        }
        return new HttpRule(method, rule.path(), query);
    }

    private static boolean isMethod(String m) {
        if (m.isEmpty() || m.length() > 64) {
            return false;
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || TCHARS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
