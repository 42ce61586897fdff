package dev.openshell.sandbox.net;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nftables table that confines one sandbox, loaded in the host namespace so that root inside
 * the sandbox cannot see or change it. Everything matches on the host-side veth {@code osh<N>h}:
 *
 * <ul>
 *   <li>{@code prerouting_filter}: UDP is rejected at once with ICMP port-unreachable, except DNS
 *       to the host-side address (port 53), answered by the sandbox's own responder ({@code
 *       dev.openshell.sandbox.proxy.dns.SandboxDns}) with the proxy's resolver; DNS to anywhere
 *       else is rejected like any UDP;
 *   <li>{@code prerouting_nat}: TCP to any address but the host-side one is redirected (DNAT) to
 *       the proxy's transparent port; the redirect happens here, in the host namespace, so the
 *       proxy can read the original destination with {@code SO_ORIGINAL_DST};
 *   <li>{@code input}: from the sandbox, only the explicit port, redirected connections to the
 *       transparent port and DNS to port 53 are accepted; other TCP gets a reset, anything else ICMP
 *       admin-prohibited, so a bypass fails at once instead of hanging;
 *   <li>{@code forward}: nothing is routed to or from the sandbox.
 * </ul>
 *
 * <p>Named counters ({@link FirewallCounters}) count redirected connections and rejected packets,
 * so the supervisor can report bypass attempts the proxy never sees.
 *
 * <p>The NAT chain runs just before the usual {@code dstnat} priority so that another table's
 * destination NAT (Docker's published ports) cannot take the sandbox's connections first.
 */
final class SandboxFirewall {

    private static final Pattern COUNTER = Pattern.compile("counter (\\w+) \\{\\s*packets (\\d+) bytes \\d+");

    private SandboxFirewall() {}

    /** The table's name for {@code sandboxId}: {@code osh_<id>}. */
    static String tableName(String sandboxId) {
        return "osh_" + SubnetClaim.requireValidId(sandboxId);
    }

    /** An {@code nft -f} script that (re)creates the table atomically. */
    static String ruleset(String sandboxId, Subnet subnet, ProxyPorts ports) {
        String table = "inet " + tableName(sandboxId);
        String veth = '"' + subnet.hostInterface() + '"';
        String proxy = subnet.hostAddress().getHostAddress();
        return """
                table %1$s
                delete table %1$s
                table %1$s {
                  counter redirected {}
                  counter rejected_udp {}
                  counter rejected_tcp {}
                  counter rejected_other {}
                  chain prerouting_filter {
                    type filter hook prerouting priority raw; policy accept;
                    iifname %2$s ip daddr %3$s udp dport 53 accept
                    iifname %2$s meta l4proto udp counter name rejected_udp reject with icmpx port-unreachable
                  }
                  chain prerouting_nat {
                    type nat hook prerouting priority dstnat - 10; policy accept;
                    iifname %2$s ip daddr %3$s return
                    iifname %2$s meta nfproto ipv4 meta l4proto tcp counter name redirected dnat ip to %3$s:%5$d
                  }
                  chain input {
                    type filter hook input priority filter; policy accept;
                    iifname %2$s ip daddr %3$s tcp dport %4$d accept
                    iifname %2$s ip daddr %3$s tcp dport %5$d ct status dnat accept
                    iifname %2$s ip daddr %3$s udp dport 53 accept
                    iifname %2$s meta l4proto tcp counter name rejected_tcp reject with tcp reset
                    iifname %2$s counter name rejected_other reject with icmpx admin-prohibited
                  }
                  chain forward {
                    type filter hook forward priority filter; policy accept;
                    iifname %2$s meta l4proto tcp counter name rejected_tcp reject with tcp reset
                    iifname %2$s counter name rejected_other reject with icmpx admin-prohibited
                    oifname %2$s reject with icmpx admin-prohibited
                  }
                }
                """.formatted(table, veth, proxy, ports.explicit(), ports.transparent());
    }

    /** Parses {@code nft list counters table ...} output. */
    static FirewallCounters parseCounters(String listing) {
        Map<String, Long> packets = new HashMap<>();
        Matcher matcher = COUNTER.matcher(listing);
        while (matcher.find()) {
            packets.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return new FirewallCounters(
                packets.getOrDefault("redirected", 0L),
                packets.getOrDefault("rejected_udp", 0L),
                packets.getOrDefault("rejected_tcp", 0L),
                packets.getOrDefault("rejected_other", 0L));
    }

    /** An {@code nft -f} script that deletes the table, whether or not it exists. */
    static String deletion(String sandboxId) {
        String table = "inet " + tableName(sandboxId);
        return "table " + table + "\ndelete table " + table + "\n";
    }
}
