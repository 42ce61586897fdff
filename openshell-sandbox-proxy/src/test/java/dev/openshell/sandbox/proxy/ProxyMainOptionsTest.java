package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProxyMainOptionsTest {

    private static final String[] REQUIRED = {"--listen", "127.0.0.1:3128", "--policy", "p.yaml", "--trust-dir", "t"};

    private static String[] with(String... more) {
        String[] all = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }

    @Test
    void defaultsToOneEventLoop() {
        ProxyMain.Options o = ProxyMain.Options.parse(REQUIRED);
        assertThat(o.ioThreads()).isEqualTo(1);
        assertThat(o.policy()).isEqualTo(Path.of("p.yaml"));
        assertThat(o.listen().getPort()).isEqualTo(3128);
    }

    @Test
    void takesIoThreadsAndDecisionLog() {
        ProxyMain.Options o = ProxyMain.Options.parse(with("--io-threads", "3", "--decision-log", "d.jsonl"));
        assertThat(o.ioThreads()).isEqualTo(3);
        assertThat(o.decisionLog()).isEqualTo(Path.of("d.jsonl"));
    }

    @Test
    void takesRepeatedHostAddresses() {
        ProxyMain.Options o =
                ProxyMain.Options.parse(with("--host-address", "172.17.0.0/16", "--host-address", "192.0.2.7"));
        assertThat(o.hostAddresses()).extracting(Object::toString).containsExactly("172.17.0.0/16", "192.0.2.7/32");
        assertThat(ProxyMain.Options.parse(REQUIRED).hostAddresses()).isEmpty();
        assertThatThrownBy(() -> ProxyMain.Options.parse(with("--host-address", "10.0.0.1/8")))
                .hasMessageStartingWith("Invalid value for option '--host-address' (CIDR): wants an address or CIDR: ")
                .hasMessageContaining("host bits");
    }

    @Test
    void refusesBadIoThreads() {
        assertThatThrownBy(() -> ProxyMain.Options.parse(with("--io-threads", "0")))
                .hasMessageContaining("'--io-threads': wants a number of threads >= 1, got 0");
        assertThatThrownBy(() -> ProxyMain.Options.parse(with("--io-threads", "many")))
                .hasMessageContaining("'--io-threads': wants a number of threads >= 1, got many");
    }

    @Test
    void refusesMissingAndUnknownOptions() {
        assertThatThrownBy(() -> ProxyMain.Options.parse(new String[] {"--listen", "127.0.0.1:1"}))
                .hasMessageContaining("Missing required options")
                .hasMessageContaining("--policy")
                .hasMessageContaining("--trust-dir");
        assertThatThrownBy(() -> ProxyMain.Options.parse(with("--bogus", "1")))
                .hasMessageContaining("Unknown options: '--bogus'");
        assertThatThrownBy(() -> ProxyMain.Options.parse(with("--io-threads")))
                .hasMessageContaining("Missing required parameter for option '--io-threads'");
        assertThatThrownBy(() -> ProxyMain.Options.parse(with("--scope-pid", "1", "--scope-pid-file", "f")))
                .hasMessageContaining("mutually exclusive");
    }

    @Test
    void configRefusesZeroThreads() {
        assertThatThrownBy(() -> ProxyConfig.builder("sb", (c, l) -> null, TestPolicies.compile("version: 1\n"), 1)
                        .trustDir(Path.of("t"))
                        .ioThreads(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioThreads");
    }
}
