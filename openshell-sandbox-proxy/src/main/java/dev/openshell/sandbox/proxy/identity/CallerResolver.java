package dev.openshell.sandbox.proxy.identity;

import dev.openshell.api.ErrorCode;
import java.net.InetSocketAddress;

/**
 * Maps an accepted proxy connection to the process that opened it. The proxy closes its resolver
 * when it stops.
 */
public interface CallerResolver extends AutoCloseable {

    /**
     * Identifies the client of an accepted connection.
     *
     * @param client the remote address of the accepted socket (the client's address and port)
     * @param proxy the local address of the accepted socket (the proxy's listening address)
     * @throws IdentityException when the caller cannot be established (the proxy then denies:
     *     fail closed), or when a binary's content changed since it was first seen
     */
    CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy);

    /**
     * Identifies the sender of a UDP datagram that arrived from {@code client} at {@code server}
     * (the sandbox's DNS server asks for every query): the process holding the UDP socket bound to
     * {@code client}. The sender is still waiting for the answer, so its socket is still open.
     *
     * @throws IdentityException when the sender cannot be established (the caller then refuses)
     */
    default CallerIdentity resolveDatagram(InetSocketAddress client, InetSocketAddress server) {
        throw new IdentityException(ErrorCode.IDENTITY_UNKNOWN, "this resolver identifies TCP callers only");
    }

    /**
     * Identifies the client only if that is cheap enough for an event loop (a few small reads, no
     * scan, no hashing); otherwise returns null and the caller runs {@link #resolve} elsewhere. The
     * answer, when given, is exactly what {@link #resolve} would give.
     *
     * @throws IdentityException as {@link #resolve}
     */
    default CallerIdentity resolveQuickly(InetSocketAddress client, InetSocketAddress proxy) {
        return null;
    }

    /**
     * The proxy closed the connection from {@code client}; a resolver may use this to guess where
     * the caller's next socket will be. Never changes what {@link #resolve} answers.
     */
    default void released(InetSocketAddress client) {}

    /** Releases what the resolver keeps open (netlink sockets, procfs descriptors). Idempotent. */
    @Override
    default void close() {}
}
