/**
 * The sandbox's DNS: {@link dev.openshell.sandbox.proxy.dns.SandboxDns} answers the agent's A
 * queries on the host side of its veth with the proxy's own resolver, so programs that ignore the
 * proxy variables resolve names and are then captured transparently; {@link
 * dev.openshell.sandbox.proxy.dns.DnsQuery} is the strict, bounded codec.
 */
package dev.openshell.sandbox.proxy.dns;
