/**
 * The sandbox's network: a namespace that can reach only the proxy, and the proxy's view of
 * connections that were captured on their way elsewhere.
 *
 * <p>{@link dev.openshell.sandbox.net.SandboxNetwork#create} claims a /30 of {@code 10.200.0.0/16}
 * ({@link dev.openshell.sandbox.net.SubnetAllocator}: one lock file per subnet under {@code
 * /run/openshell/net}, safe across threads and processes), makes the namespace {@code osh-<id>}
 * with a veth pair to the host, and loads the {@code inet osh_<id>} nft table in the host namespace
 * (out of reach of root inside the sandbox). The agent reaches the proxy's explicit port; every
 * other TCP connection is redirected to the proxy's transparent port, where {@link
 * dev.openshell.sandbox.linux.OriginalDestination} recovers where it was going. UDP is accepted only
 * as DNS to the host-side address (port 53, where the supervisor runs {@code
 * dev.openshell.sandbox.proxy.dns.SandboxDns}); other UDP and everything else is rejected at once,
 * never left to time out. The veth has no IPv6 address on either end, so IPv6 fails in the
 * sandbox itself ({@code ENETUNREACH}) instead of waiting for neighbour discovery. {@link
 * dev.openshell.sandbox.net.FirewallCounters} count both, for findings.
 *
 * <p>Setup is three processes ({@code ip -batch} on the host side, {@code nft -f -}, {@code ip
 * -netns -batch} inside) and teardown two; on this 2-core VM at load average 10 to 14 one network
 * took 85–300 ms to set up and 120–360 ms to tear down (printed by {@code SandboxNetworkIT}), almost
 * all of it spent starting those processes. A network
 * whose owner died ({@code kill -9}) is reclaimed by the next {@code create} or by {@link
 * dev.openshell.sandbox.net.SandboxNetwork#reclaimStale}; {@link
 * dev.openshell.sandbox.net.SandboxNetwork#cleanupAll} removes all of them.
 *
 * <p>Host assumptions: root, {@code ip} (iproute2) and {@code nft} (nftables), and no other user
 * of {@code 10.200.0.0/16}. Other firewalls' tables still apply: a {@code drop} policy on input in
 * another table would also drop the proxy's traffic.
 */
package dev.openshell.sandbox.net;
