package dev.openshell.policy.engine;

import dev.openshell.policy.HttpRule;
import dev.openshell.policy.QueryMatch;
import dev.openshell.policy.match.PathGlob;
import dev.openshell.policy.match.RequestTarget;
import java.util.List;
import java.util.Map;

/** One allow or deny rule, compiled: method, path glob, and required query parameters. */
final class CompiledRule {

    private final String method;
    private final PathGlob path;
    private final String[] queryNames;
    private final PathGlob[][] queryGlobs;
    private final String display;

    CompiledRule(HttpRule rule) {
        this.method = "*".equals(rule.method()) ? null : rule.method();
        this.path = PathGlob.compile(rule.path());
        int n = rule.query().size();
        this.queryNames = new String[n];
        this.queryGlobs = new PathGlob[n][];
        int i = 0;
        for (Map.Entry<String, QueryMatch> e : rule.query().entrySet()) {
            queryNames[i] = e.getKey();
            List<String> any = e.getValue().anyOf();
            queryGlobs[i] = any.stream().map(PathGlob::forQuery).toArray(PathGlob[]::new);
            i++;
        }
        this.display = rule.method() + " " + rule.path();
    }

    /** {@code METHOD PATH_GLOB}, as written, for reasons. */
    String display() {
        return display;
    }

    boolean matches(String requestMethod, RequestTarget target) {
        if (method != null && !method.equals(requestMethod)) {
            return false;
        }
        if (!path.matches(target.path())) {
            return false;
        }
        for (int i = 0; i < queryNames.length; i++) {
            if (!queryMatches(queryNames[i], queryGlobs[i], target)) {
                return false;
            }
        }
        return true;
    }

    /** The parameter is present, and every value of it matches one of the globs. */
    private static boolean queryMatches(String name, PathGlob[] globs, RequestTarget target) {
        boolean present = false;
        for (int q = 0; q < target.queryCount(); q++) {
            if (!name.equals(target.queryName(q))) {
                continue;
            }
            present = true;
            String value = target.queryValue(q);
            boolean ok = false;
            for (PathGlob g : globs) {
                if (g.matches(value)) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                return false;
            }
        }
        return present;
    }
}
