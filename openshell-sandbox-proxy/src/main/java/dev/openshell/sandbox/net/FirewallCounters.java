package dev.openshell.sandbox.net;

/**
 * What a sandbox's firewall caught since the network was created.
 *
 * @param redirectedConnections TCP connections that ignored the proxy settings and were redirected
 *     to the transparent port (the proxy sees and polices each one)
 * @param rejectedUdpPackets UDP datagrams rejected (DNS included)
 * @param rejectedTcpPackets TCP segments rejected: connections to the host side other than the
 *     proxy's ports, IPv6
 * @param rejectedOtherPackets anything else rejected (ICMP, other protocols)
 */
public record FirewallCounters(
        long redirectedConnections, long rejectedUdpPackets, long rejectedTcpPackets, long rejectedOtherPackets) {

    /** Whether anything was rejected: each rejection is a bypass attempt the proxy never saw. */
    public boolean anyRejected() {
        return rejectedUdpPackets + rejectedTcpPackets + rejectedOtherPackets > 0;
    }
}
