package dev.openshell.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.context.ConfigPaths;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.context.RemoteHost;
import dev.openshell.cli.support.CliSession;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway started with {@code --remote} whose host no longer answers: stop and destroy fail in
 * one line each, remove nothing, and say exactly what to run on the host; {@code destroy --forget}
 * then removes only the registration here. Unusable {@code --remote}/{@code --ssh-key} values are
 * refused before any connection.
 */
class UnreachableRemoteGatewayTest {

    @TempDir
    Path home;

    CliSession cli;
    int closedPort;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliSession(home);
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        GatewayRegistry registry =
                new GatewayRegistry(new ConfigPaths(cli.configDir(), home.resolve("data/openshell")));
        registry.save(new GatewayEntry(
                "far",
                URI.create("https://127.0.0.1:8443"),
                GatewayEntry.Auth.MTLS,
                "local",
                null,
                Instant.now(),
                new RemoteHost(
                        "ssh://root@127.0.0.1:" + closedPort,
                        null,
                        "root@127.0.0.1 (port " + closedPort + ")",
                        "/root",
                        "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java",
                        "1.2.3",
                        "/root/.local/share/openshell/gateways/far")));
        registry.activate("far");
    }

    @Test
    void destroySaysWhatToRunThereAndKeepsTheRegistrationUntilForget() {
        Result destroy = cli.run("gateway", "destroy", "--yes");

        assertThat(destroy.exitCode()).as(destroy.toString()).isEqualTo(69);
        assertThat(destroy.err())
                .as(destroy.toString())
                .contains("error: cannot reach root@127.0.0.1 (port " + closedPort + ") over SSH: connection refused")
                .contains("then to run it by hand: ssh -p " + closedPort
                        + " root@127.0.0.1 'cd / && /root/.local/share/openshell/remote/openshell gateway destroy"
                        + " far --yes && cd /root/.local/share/openshell && ");
        assertThat(cli.configDir().resolve("gateways/far/metadata.json")).exists();

        Result stop = cli.run("gateway", "stop");
        assertThat(stop.exitCode()).isEqualTo(69);
        assertThat(stop.err()).contains("gateway stop far");

        Result forget = cli.run("gateway", "destroy", "far", "--yes", "--forget");
        assertThat(forget.exitCode()).as(forget.toString()).isZero();
        assertThat(forget.out()).isEqualTo("gateway far forgotten\n");
        assertThat(cli.configDir().resolve("gateways/far")).doesNotExist();
    }

    @Test
    void badRemoteFlagsAreRefusedBeforeConnecting() throws Exception {
        Result option = cli.run("gateway", "start", "--name", "other", "--remote", "root@-oProxyCommand=sh");
        Result optionLike = cli.run("gateway", "start", "--name", "other", "--remote", "-oProxyCommand=sh");
        Result missingKey =
                cli.run("gateway", "start", "--name", "other", "--remote", "root@gw1", "--ssh-key", "/nonexistent");
        Result notAKey = cli.run(
                "gateway",
                "start",
                "--name",
                "other",
                "--remote",
                "root@gw1",
                "--ssh-key",
                Files.writeString(home.resolve("id.pub"), "ssh-ed25519 AAAA x\n")
                        .toString());
        Result keyWithoutRemote = cli.run("gateway", "start", "--name", "other", "--ssh-key", "/k");

        assertThat(option.exitCode()).isEqualTo(2);
        assertThat(option.err())
                .startsWith(
                        "error: --remote 'root@-oProxyCommand=sh': the host '-oProxyCommand=sh' is not a host name");
        assertThat(optionLike.exitCode()).isEqualTo(2);
        assertThat(missingKey.exitCode()).isEqualTo(2);
        assertThat(missingKey.err()).contains("error: --ssh-key /nonexistent does not exist\n");
        assertThat(notAKey.exitCode()).isEqualTo(2);
        assertThat(notAKey.err()).contains("is not an SSH private key");
        assertThat(keyWithoutRemote.exitCode()).isEqualTo(2);
        assertThat(keyWithoutRemote.err()).startsWith("error: --ssh-key is for --remote");
        assertThat(cli.configDir().resolve("gateways/other")).doesNotExist();
    }
}
