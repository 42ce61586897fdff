package dev.openshell.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SandboxFirewallTest {

    private final String ruleset = SandboxFirewall.ruleset("sb-1", new Subnet(5), new ProxyPorts(3128, 3129));

    @Test
    void tableIsPerSandboxAndRecreatedAtomically() {
        assertThat(SandboxFirewall.tableName("sb-1")).isEqualTo("osh_sb-1");
        assertThat(ruleset).startsWith("table inet osh_sb-1\ndelete table inet osh_sb-1\ntable inet osh_sb-1 {");
        assertThat(SandboxFirewall.deletion("sb-1")).isEqualTo("table inet osh_sb-1\ndelete table inet osh_sb-1\n");
    }

    @Test
    void tcpToAnythingButTheHostSideIsRedirectedToTheTransparentPort() {
        assertThat(ruleset)
                .contains("type nat hook prerouting priority dstnat - 10;")
                .contains("iifname \"osh5h\" ip daddr 10.200.0.21 return")
                .contains(
                        "iifname \"osh5h\" meta nfproto ipv4 meta l4proto tcp counter name redirected dnat ip to 10.200.0.21:3129");
    }

    @Test
    void onlyTheProxyPortsAreAcceptedAndEverythingElseIsRejectedFast() {
        assertThat(ruleset)
                .contains("iifname \"osh5h\" ip daddr 10.200.0.21 tcp dport 3128 accept")
                .contains("iifname \"osh5h\" ip daddr 10.200.0.21 tcp dport 3129 ct status dnat accept")
                .contains("iifname \"osh5h\" ip daddr 10.200.0.21 udp dport 53 accept")
                .contains(
                        "iifname \"osh5h\" meta l4proto udp counter name rejected_udp reject with icmpx port-unreachable")
                .contains("iifname \"osh5h\" meta l4proto tcp counter name rejected_tcp reject with tcp reset")
                .contains("iifname \"osh5h\" counter name rejected_other reject with icmpx admin-prohibited")
                .contains("oifname \"osh5h\" reject with icmpx admin-prohibited")
                .doesNotContain(" drop");
    }

    @Test
    void countersAreParsedFromTheListing() {
        String listing = """
                table inet osh_sb-1 {
                	counter redirected {
                		packets 3 bytes 180
                	}
                	counter rejected_udp {
                		packets 2 bytes 66
                	}
                	counter rejected_tcp {
                		packets 0 bytes 0
                	}
                }
                """;

        FirewallCounters counters = SandboxFirewall.parseCounters(listing);

        assertThat(counters).isEqualTo(new FirewallCounters(3, 2, 0, 0));
        assertThat(counters.anyRejected()).isTrue();
        assertThat(ruleset).contains("counter name rejected_udp reject", "counter name redirected dnat");
    }
}
