package dev.openshell.sandbox.proxy.identity;

import java.net.InetSocketAddress;

/** Maps an accepted proxy connection to the process that opened it. */
public interface CallerResolver {

    /**
     * Identifies the client of an accepted connection.
     *
     * @param client the remote address of the accepted socket (the client's address and port)
     * @param proxy the local address of the accepted socket (the proxy's listening address)
     * @throws IdentityException when the caller cannot be established (the proxy then denies:
     *     fail closed), or when a binary's content changed since it was first seen
     */
    CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy);
}
