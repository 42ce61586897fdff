package dev.openshell.policy.engine;

import dev.openshell.policy.match.PathGlob;
import dev.openshell.policy.match.RequestTarget;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.QueryMatch;
import java.util.List;
import java.util.Map;

/**
 * One allow or deny rule, compiled: method, path glob, and required query parameters. An allow
 * rule matches the canonical request exactly (every value of a listed parameter must match). A
 * deny rule must also catch every other spelling of what it names: it also matches the folded
 * path ({@link RequestTarget#folded()}) with its folded glob, its method ignores case (servers
 * that upper-case methods read {@code delete} as {@code DELETE}), and a parameter condition holds
 * when any value matches, as sent or folded.
 */
final class CompiledRule {

    private final String method;
    private final boolean deny;
    private final PathGlob path;
    /** Deny rules only: the glob for the folded path. */
    private final PathGlob foldedPath;

    private final String[] queryNames;
    private final PathGlob[][] queryGlobs;
    /** Deny rules only: folded names and globs, for {@link RequestTarget#foldedQueryValue}. */
    private final String[] foldedQueryNames;

    private final PathGlob[][] foldedQueryGlobs;
    private final String display;

    private CompiledRule(HttpRule rule, boolean deny) {
        this.method = "*".equals(rule.method()) ? null : rule.method();
        this.deny = deny;
        this.path = PathGlob.compile(rule.path());
        this.foldedPath = deny ? PathGlob.forFoldedPaths(rule.path()) : null;
        int n = rule.query().size();
        this.queryNames = new String[n];
        this.queryGlobs = new PathGlob[n][];
        this.foldedQueryNames = new String[n];
        this.foldedQueryGlobs = new PathGlob[n][];
        int i = 0;
        for (Map.Entry<String, QueryMatch> e : rule.query().entrySet()) {
            queryNames[i] = e.getKey();
            foldedQueryNames[i] = RequestTarget.foldQueryName(e.getKey());
            List<String> any = e.getValue().anyOf();
            queryGlobs[i] = any.stream().map(PathGlob::forQuery).toArray(PathGlob[]::new);
            foldedQueryGlobs[i] = any.stream().map(PathGlob::forFoldedQuery).toArray(PathGlob[]::new);
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
            if (deny ? !denyQueryMatches(i, target) : !queryMatches(queryNames[i], queryGlobs[i], target)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A deny rule's parameter condition holds when any value of the parameter matches, as sent or
     * as a lenient server reads it: servers differ on which of repeated values they take, on
     * {@code ;} as a separator, on name case and on decoding.
     */
    private boolean denyQueryMatches(int i, RequestTarget target) {
        for (int q = 0; q < target.queryCount(); q++) {
            if (queryNames[i].equals(target.queryName(q)) && anyMatches(queryGlobs[i], target.queryValue(q))) {
                return true;
            }
        }
        for (int q = 0; q < target.foldedQueryCount(); q++) {
            if (foldedQueryNames[i].equals(target.foldedQueryName(q))
                    && anyMatches(foldedQueryGlobs[i], target.foldedQueryValue(q))) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyMatches(PathGlob[] globs, String value) {
        for (PathGlob g : globs) {
            if (g.matches(value)) {
                return true;
            }
        }
        return false;
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
