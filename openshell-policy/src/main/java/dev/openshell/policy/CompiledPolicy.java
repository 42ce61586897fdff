package dev.openshell.policy;

/**
 * An immutable, thread-safe evaluator for one policy generation. Obtain with {@link
 * PolicyEngine#compile(Policy)}.
 */
public interface CompiledPolicy {

    /** The policy this evaluator was compiled from. */
    Policy source();

    /**
     * Decides a new connection: destination guard first (loopback, link-local, metadata and
     * unspecified addresses always denied; private ranges only when the endpoint's {@code
     * allowed_ips} covers them), then host, port and binary (or an ancestor) matching.
     */
    Decision evaluate(L4Request request);

    /**
     * Decides one HTTP request on a connection: the L4 decision is taken again (so a reloaded
     * policy applies to requests on old connections), then method, path and query against the
     * matching REST endpoints' rules. Deny rules of any matching endpoint win.
     */
    Decision evaluate(L7Request request);
}
