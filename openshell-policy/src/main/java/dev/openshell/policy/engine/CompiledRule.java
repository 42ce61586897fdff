package dev.openshell.policy.engine;

import dev.openshell.policy.HttpRule;
import dev.openshell.policy.QueryMatch;
import dev.openshell.policy.match.PathGlob;
import dev.openshell.policy.match.RequestTarget;
import java.util.List;
import java.util.Map;

/**
 * One allow or deny rule, compiled: method, path glob, and required query parameters. An allow
 * rule matches the canonical request exactly. A deny rule must also catch every other spelling of
 * what it names, so it also matches the folded path ({@link RequestTarget#folded()}) with its
 * folded glob, and its method ignores case (servers that upper-case methods read {@code delete}
 * as {@code DELETE}).
 */
final class CompiledRule {

    private final String method;
    private final boolean deny;
    private final PathGlob path;
    /** Deny rules only: the glob for the folded path. */
    private final PathGlob foldedPath;

    private final String[] queryNames;
    private final PathGlob[][] queryGlobs;
    private final String display;

    private CompiledRule(HttpRule rule, boolean deny) {
        this.method = "*".equals(rule.method()) ? null : rule.method();
        this.deny = deny;
        this.path = PathGlob.compile(rule.path());
        this.foldedPath = deny ? PathGlob.forFoldedPaths(rule.path()) : null;
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

    static CompiledRule allow(HttpRule rule) {
        return new CompiledRule(rule, false);
    }

    static CompiledRule deny(HttpRule rule) {
        return new CompiledRule(rule, true);
    }

    /** {@code METHOD PATH_GLOB}, as written, for reasons. */
    String display() {
        return display;
    }

    boolean matches(String requestMethod, RequestTarget target) {
        if (method != null && !(deny ? method.equalsIgnoreCase(requestMethod) : method.equals(requestMethod))) {
            return false;
        }
        if (!path.matches(target.path()) && !(deny && foldedPath.matches(target.folded()))) {
            return false;
        }
        for (int i = 0; i < queryNames.length; i++) {
            if (!queryMatches(queryNames[i], queryGlobs[i], target)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the path glob matches the canonical path itself (not only the folded one). */
    boolean matchesExactPath(RequestTarget target) {
        return path.matches(target.path());
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
