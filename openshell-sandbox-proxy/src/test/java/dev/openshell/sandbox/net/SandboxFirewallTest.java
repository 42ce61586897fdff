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
                .contains("iifname \"osh5h\" meta nfproto ipv4 meta l4proto tcp dnat ip to 10.200.0.21:3129");
    }

    @Test
    void onlyTheProxyPortsAreAcceptedAndEverythingElseIsRejectedFast() {
        assertThat(ruleset)
                .contains("iifname \"osh5h\" ip daddr 10.200.0.21 tcp dport 3128 accept")
                .contains("iifname \"osh5h\" ip daddr 10.200.0.21 tcp dport 3129 ct status dnat accept")
                .contains("iifname \"osh5h\" meta l4proto udp reject with icmpx port-unreachable")
                .contains("iifname \"osh5h\" meta l4proto tcp reject with tcp reset")
                .contains("iifname \"osh5h\" reject with icmpx admin-prohibited")
                .contains("oifname \"osh5h\" reject with icmpx admin-prohibited")
                .doesNotContain(" drop");
    }
}
