package dev.openshell.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshTargetTest {

    @Test
    void readsTheFormsOpenSshTakes() {
        assertThat(SshTarget.parse("root@10.0.0.2")).isEqualTo(new SshTarget("root", "10.0.0.2", 0));
        assertThat(SshTarget.parse("gw1")).isEqualTo(new SshTarget(null, "gw1", 0));
        assertThat(SshTarget.parse("deploy@gw1.example.com")).isEqualTo(new SshTarget("deploy", "gw1.example.com", 0));
        assertThat(SshTarget.parse("ssh://ops@gw1:2222")).isEqualTo(new SshTarget("ops", "gw1", 2222));
        assertThat(SshTarget.parse("ssh://[fd00::2]:22")).isEqualTo(new SshTarget(null, "fd00::2", 22));
        assertThat(SshTarget.parse("root@fd00::2")).isEqualTo(new SshTarget("root", "fd00::2", 0));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-oProxyCommand=touch /tmp/x",
                "root@-oProxyCommand=sh",
                "root@host name",
                "root@host;rm -rf /",
                "ro ot@host",
                "-l@host",
                "root@",
                "@host",
                "root@host$(id)",
                "root@'host'",
                "root@host\nsecond",
                "ssh://root@host:0",
                "ssh://root@host:65536",
                "ssh://root@host:port",
                ""
            })
    void refusesWhatCouldPassForAnOptionOrAShellWord(String hostile) {
        assertThatThrownBy(() -> SshTarget.parse(hostile)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(2);
            assertThat(e.getMessage()).startsWith("--remote ").doesNotContain("\n");
        });
    }
}
