package dev.openshell.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.bootstrap.local.LocalGateways;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway start/stop/info/destroy} with the real gateway jar as a background daemon, as a
 * user runs them (root, with ip and nft: what the local driver needs), with a real sandbox of the
 * local driver in between.
 */
@RequiresRoot
@RequiresTool({"ip", "nft"})
class GatewayStartIT {

    @TempDir
    Path home;

    CliSession cli;
    int port;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliSession(home);
        port = freePort();
    }

    @AfterEach
    void killWhatIsLeft() {
        for (String name : new String[] {"itgw", "other", "openshell"}) {
            Path data = home.resolve("data/openshell/gateways").resolve(name);
            LocalGateways.stop(data, Duration.ofSeconds(30));
        }
    }

    @Test
    void startIsIdempotentStopKeepsEverythingDestroyRemovesIt() throws Exception {
        Result first = cli.run("gateway", "start", "--name", "itgw", "--port", Integer.toString(port));

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out())
                .matches(
                        "gateway itgw is ready at https://127\\.0\\.0\\.1:" + port
                                + " \\(pid \\d+, ready in [\\d.]+ s; certificates made in [\\d.]+ s\\) and is the active gateway\n");
        assertThat(first.err())
                .contains("making the gateway's certificates...", "starting gateway itgw on https://127.0.0.1:" + port);
        assertThat(Files.readString(cli.configDir().resolve("active_gateway"))).isEqualTo("itgw\n");
        assertThat(cli.configDir().resolve("gateways/itgw/mtls/tls.key")).exists();
        Path data = home.resolve("data/openshell/gateways/itgw");
        assertThat(data.resolve("gateway.db")).exists();

        Result again = cli.run("gateway", "start", "--name", "itgw");
        Result otherPort = cli.run("gateway", "start", "--name", "itgw", "--port", Integer.toString(port + 1));
        Result list = cli.run("sandbox", "list", "-o", "json");
        Result info = cli.run("gateway", "info");
        Result create = cli.run("sandbox", "create", "--name", "needs-driver", "--detach");

        assertThat(again.exitCode()).isZero();
        assertThat(again.out())
                .matches("gateway itgw is already running at https://127\\.0\\.0\\.1:" + port + " \\(pid \\d+\\)\n");
        assertThat(otherPort.exitCode()).isEqualTo(4);
        assertThat(otherPort.err()).startsWith("error: gateway itgw already runs on port " + port);
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).isEqualTo("{\n  \"items\" : [ ]\n}\n");
        assertThat(info.out())
                .contains("runs:          on this host, pid ", "health:        ready", "driver:        local\n");
        // the local driver runs a real sandbox: the command runs confined, as the sandbox's own user
        assertThat(create.exitCode()).as(create.toString()).isZero();
        Result exec = cli.run("sandbox", "exec", "needs-driver", "--", "sh", "-c", "echo from-the-sandbox; id -u");
        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        assertThat(exec.out().lines().toList()).first().isEqualTo("from-the-sandbox");
        assertThat(Integer.parseInt(exec.out().lines().toList().get(1))).isGreaterThanOrEqualTo(200_000);
        assertThat(cli.run("sandbox", "delete", "needs-driver").exitCode()).isZero();

        Result stop = cli.run("gateway", "stop");
        long t0 = System.nanoTime();
        Result stopped = cli.run("sandbox", "list");
        Duration failedIn = Duration.ofNanos(System.nanoTime() - t0);
        Result stoppedInfo = cli.run("gateway", "info");

        assertThat(stop.out()).isEqualTo("gateway itgw stopped\n");
        assertThat(failedIn).isLessThan(Duration.ofSeconds(5));
        assertThat(stopped.exitCode()).isEqualTo(69);
        assertThat(stopped.err().lines())
                .hasSize(2)
                .last()
                .isEqualTo("start it with: openshell gateway start --name itgw");
        assertThat(stoppedInfo.exitCode()).isEqualTo(69);
        assertThat(stoppedInfo.out()).contains("health:        stopped");
        assertThat(cli.run("gateway", "stop").out()).isEqualTo("gateway itgw was not running\n");

        Result warm = cli.run("gateway", "start", "--name", "itgw");
        assertThat(warm.exitCode()).as(warm.toString()).isZero();
        assertThat(warm.out()).contains("is ready at https://127.0.0.1:" + port).doesNotContain("certificates made");
        assertThat(cli.run("policy", "list", "nothing-here").exitCode())
                .as("the gateway answers again")
                .isEqualTo(3);

        Result destroy = cli.run("gateway", "destroy", "--yes");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).isEqualTo("gateway itgw destroyed\n");
        assertThat(data).doesNotExist();
        assertThat(cli.configDir().resolve("gateways/itgw")).doesNotExist();
        assertThat(LocalGateways.status(data).running()).isFalse();
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains(data.toString())))
                .as("nothing of the gateway runs on (its sandbox host included)")
                .isEmpty();
    }

    @Test
    void aPortInUseIsOneLineWithAHint() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));

            Result r = cli.run("gateway", "start", "--name", "other", "--port", Integer.toString(port));

            assertThat(r.exitCode()).isEqualTo(4);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines())
                    .containsExactly(
                            "error: port " + port + " on 127.0.0.1 is in use by another program",
                            "choose another port: openshell gateway start --name other --port " + (port + 1));
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
