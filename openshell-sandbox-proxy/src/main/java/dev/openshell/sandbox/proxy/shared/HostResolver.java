package dev.openshell.sandbox.proxy.shared;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a destination host name to addresses. The proxy calls it once per host and
 * connection, checks the answer with the destination guard, and connects only to those
 * addresses (no second lookup). IP literals never reach the resolver.
 */
@FunctionalInterface
public interface HostResolver {

    /** The JVM's resolver ({@link InetAddress#getAllByName}). */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * Resolves {@code host}. May block; the proxy never calls it on an event loop.
     *
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
