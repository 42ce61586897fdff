package dev.openshell.policy.match;

/**
 * Why a request path is refused as ambiguous: thrown while a target is parsed or folded and
 * turned into {@link RequestTarget#error()}. Hostile input is the only way to reach it, so it
 * carries no stack trace.
 */
final class PathRefusal extends RuntimeException {

    PathRefusal(String reason) {
        super(reason, null, false, false);
    }
}
