package dev.openshell.policy.model;

import java.net.InetAddress;

/**
 * The addresses of the machine the proxy runs on (its interfaces, the host ends of sandbox links,
 * where a gateway listens): the destination guard refuses them like loopback, whatever a policy
 * says. The engine only asks; how an answer is found (the kernel's routing table, a configured
 * list) is the caller's business, so this module stays free of native code.
 */
@FunctionalInterface
public interface HostAddresses {

    /** Knows no address of the host: only the fixed ranges (loopback, link-local, ...) are refused. */
    HostAddresses NONE = address -> false;

    /**
     * Whether a connection to {@code address} would reach this host. Called for every address the
     * guard judges, possibly on an event loop: answer without blocking on I/O.
     *
     * @throws RuntimeException when it cannot tell; the guard then refuses the address
     */
    boolean contains(InetAddress address);
}
