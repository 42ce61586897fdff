package dev.openshell.policy.model;

import java.net.InetAddress;
import java.util.List;

/**
 * An immutable, thread-safe evaluator for one policy generation. Obtain with {@link
 * dev.openshell.policy.PolicyEngine#compile(Policy)}.
 */
public interface CompiledPolicy {

    /** The policy this evaluator was compiled from. */
    Policy source();

    /**
     * Decides a new connection: destination guard first (loopback, link-local, metadata and
     * unspecified addresses and every address of {@link #withHostAddresses this host} always
     * denied; private ranges only when the endpoint's {@code allowed_ips} covers them or the
     * endpoint's host is that very address), then host, port and binary (or an ancestor) matching.
     */
    Decision evaluate(L4Request request);

    /**
     * Decides one HTTP request on a connection: the L4 decision is taken again (so a reloaded
     * policy applies to requests on old connections), then method, path and query against the
     * matching REST endpoints' rules. Deny rules of any matching endpoint win.
     */
    Decision evaluate(L7Request request);

    /**
     * {@link #evaluate(L4Request)} for a request that goes out on a connection already open to
     * {@code connected}: the destination guard does not ask {@link #withHostAddresses this host}
     * about that one address again. It asked when the connection was opened, and an open
     * connection stays with the peer it reached. Every other check, the fixed ranges included,
     * runs as usual; {@code connected} may be {@code null} (nothing is open: same as the
     * one-argument form).
     */
    Decision evaluate(L4Request request, InetAddress connected);

    /** {@link #evaluate(L7Request)} for a request sent on a connection open to {@code connected}. */
    Decision evaluate(L7Request request, InetAddress connected);

    /**
     * Whether some endpoint could admit {@code request} once its host's addresses are known: its
     * host pattern and port match and it lists the binary or an ancestor, or it has no host (it
     * matches by {@code allowed_ips}, so any name might resolve into them) and its port and
     * binaries match. Asked before a name is resolved: when the answer is {@code false}, {@link
     * #evaluate(L4Request)} denies the request whatever the name resolves to, so the caller must
     * not resolve it (a lookup of a name chosen by the sandbox would carry data out).
     */
    boolean mayAdmit(L4Request request);

    /**
     * Whether a program may have {@code name} looked up by the sandbox's DNS server: some endpoint
     * whose host matches it (exact or wildcard, on any port) lists {@code binary} or one of its
     * {@code ancestors}. Endpoints without a host do not count: they match addresses, which a
     * program that reaches them by name gets through the proxy.
     */
    boolean mayResolve(String binary, List<String> ancestors, String name);

    /**
     * The same policy with a destination guard that also refuses every address {@code host}
     * contains (in place of the addresses this one knows). Cheap: the compiled endpoints are
     * shared.
     */
    CompiledPolicy withHostAddresses(HostAddresses host);
}
