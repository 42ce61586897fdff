package dev.openshell.policy.match;

import dev.openshell.policy.model.BinaryRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The binaries of one network policy: exact paths (plus the paths they resolve to) in a hash set,
 * globs compiled with path semantics. A connection matches when its binary or any ancestor's
 * binary matches.
 */
public final class BinaryMatcher {

    private final Set<String> exact;
    private final PathGlob[] globs;
    private final String listing;

    private BinaryMatcher(Set<String> exact, PathGlob[] globs, String listing) {
        this.exact = exact;
        this.globs = globs;
        this.listing = listing;
    }

    /**
     * Compiles a policy's binaries.
     *
     * @param resolver maps an exact path to the path it really denotes (symlinks inside the
     *     sandbox root); the binary then matches under either. Not applied to globs.
     */
    public static BinaryMatcher of(List<BinaryRef> binaries, UnaryOperator<String> resolver) {
        Set<String> exact = new HashSet<>();
        List<PathGlob> globs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (BinaryRef b : binaries) {
            names.add(b.path());
            if (b.isGlob()) {
                PathGlob g = PathGlob.compile(b.path());
                if (g.isLiteral()) {
                    exact.add(b.path()); // e.g. an escaped "\*": a literal after all
                } else {
                    globs.add(g);
                }
            } else {
                exact.add(b.path());
                String resolved = resolver.apply(b.path());
                if (resolved != null) {
                    exact.add(resolved);
                }
            }
        }
        return new BinaryMatcher(Set.copyOf(exact), globs.toArray(new PathGlob[0]), String.join(", ", names));
    }

    /** Whether this one path matches. */
    public boolean matches(String path) {
        if (exact.contains(path)) {
            return true;
        }
        for (PathGlob g : globs) {
            if (g.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /** The first of {@code binary}, then {@code ancestors} (nearest first) that matches, or null. */
    public String firstMatch(String binary, List<String> ancestors) {
        if (matches(binary)) {
            return binary;
        }
        for (int i = 0; i < ancestors.size(); i++) {
            String a = ancestors.get(i);
            if (matches(a)) {
                return a;
            }
        }
        return null;
    }

    /** The policy's binaries as written, comma-separated, for reasons. */
    public String listing() {
        return listing;
    }
}
