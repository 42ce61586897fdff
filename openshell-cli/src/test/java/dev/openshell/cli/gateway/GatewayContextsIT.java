package dev.openshell.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.json.ApiJson;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LiveGateways;
import dev.openshell.gateway.it.RunningGateway;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registering, selecting, listing and inspecting gateways, against two real gateways over real mTLS. */
class GatewayContextsIT {

    @TempDir
    Path home;

    CliSession cli;
    RunningGateway alpha;
    RunningGateway beta;

    @BeforeEach
    void setUp() {
        cli = new CliSession(home);
        alpha = LiveGateways.alpha();
        beta = LiveGateways.beta();
    }

    @Test
    void addingAGatewayStoresItsCredentialsPrivatelyAndSelectsIt() throws Exception {
        Result r = cli.register("alpha", alpha);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("gateway alpha added (" + alpha.url() + ") and selected\n");
        Path dir = cli.configDir().resolve("gateways/alpha");
        assertThat(Files.readString(cli.configDir().resolve("active_gateway"))).isEqualTo("alpha\n");
        assertThat(perms(dir)).isEqualTo("rwx------");
        assertThat(perms(dir.resolve("mtls/tls.key"))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("mtls/tls.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(dir.resolve("mtls/ca.crt")).exists();
        var meta = ApiJson.lenient().readTree(Files.readString(dir.resolve("metadata.json")));
        assertThat(meta.get("name").asString()).isEqualTo("alpha");
        assertThat(meta.get("endpoint").asString()).isEqualTo(alpha.url().toString());
        assertThat(meta.get("auth").asString()).isEqualTo("mtls");
        assertThat(Files.readString(dir.resolve("metadata.json"))).doesNotContain("PRIVATE");
    }

    @Test
    void twoGatewaysAreSwitchedWithSelectAndKeepTheirSandboxesApart() {
        cli.registerOrFail("alpha", alpha);
        cli.registerOrFail("beta", beta);
        assertThat(cli.run("sandbox", "create", "--name", "ctx-on-beta", "--detach", "--", "sleep", "60")
                        .exitCode())
                .isZero();
        try {
            Result onBeta = cli.run("sandbox", "list");
            Result select = cli.run("gateway", "select", "alpha");
            Result onAlpha = cli.run("sandbox", "list");
            Result flag = cli.run("sandbox", "list", "-g", "beta");
            Result env = cli.set("OPENSHELL_GATEWAY", "beta").run("sandbox", "get", "ctx-on-beta");

            assertThat(onBeta.out()).contains("ctx-on-beta");
            assertThat(select.out()).isEqualTo("gateway alpha selected (" + alpha.url() + ")\n");
            assertThat(onAlpha.out()).doesNotContain("ctx-on-beta");
            assertThat(flag.out()).contains("ctx-on-beta");
            assertThat(env.exitCode()).as(env.toString()).isZero();
            assertThat(cli.unset("OPENSHELL_GATEWAY")
                            .run("sandbox", "get", "ctx-on-beta")
                            .exitCode())
                    .as("not on alpha")
                    .isEqualTo(3);
        } finally {
            cli.run("sandbox", "delete", "ctx-on-beta", "-g", "beta");
        }
    }

    @Test
    void listMarksTheActiveGateway() {
        cli.registerOrFail("alpha", alpha);
        cli.registerOrFail("beta", beta);

        Result table = cli.run("gateway", "list");
        Result json = cli.run("gateway", "list", "-o", "json");

        assertThat(table.out().lines()).hasSize(3);
        assertThat(table.out().lines().toList().get(0)).startsWith("ACTIVE   NAME    ENDPOINT");
        assertThat(table.out().lines().toList().get(1)).startsWith("         alpha   " + alpha.url());
        assertThat(table.out().lines().toList().get(2)).startsWith("*        beta    " + beta.url());
        assertThat(json.out()).contains("\"name\" : \"beta\"", "\"active\" : true", "\"auth\" : \"mtls\"");
    }

    @Test
    void selectWithoutANameAsksOnATerminalOnly() {
        cli.registerOrFail("alpha", alpha);
        cli.registerOrFail("beta", beta);

        Result notATerminal = cli.run("gateway", "select");
        Result picked = cli.runInteractive("1\n", "gateway", "select");
        Result byName = cli.runInteractive("nope\nbeta\n", "gateway", "select");

        assertThat(notATerminal.exitCode()).isEqualTo(2);
        assertThat(notATerminal.err()).startsWith("error: name the gateway to select (registered: alpha, beta)\n");
        assertThat(picked.exitCode()).isZero();
        assertThat(picked.err()).contains("  1) alpha", "* 2) beta", "Select a gateway [1-2]");
        assertThat(picked.out()).startsWith("gateway alpha selected");
        assertThat(byName.err()).contains("no such choice: 'nope'");
        assertThat(byName.out()).startsWith("gateway beta selected");
    }

    @Test
    void unknownGatewaysAreOneLineAndExit3() {
        Result none = cli.run("sandbox", "list");
        cli.registerOrFail("alpha", alpha);
        Result unknown = cli.run("sandbox", "list", "-g", "nope");
        Result select = cli.run("gateway", "select", "nope");

        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.err().lines())
                .containsExactly(
                        "error: no gateway is registered",
                        "start one with openshell gateway start, or add one with openshell gateway add URL");
        assertThat(unknown.exitCode()).isEqualTo(3);
        assertThat(unknown.err()).startsWith("error: no gateway named 'nope' is registered (registered: alpha)\n");
        assertThat(select.exitCode()).isEqualTo(3);
    }

    @Test
    void anUnreachableGatewayFailsWithinFiveSecondsInOneLine() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path bundle = alpha.dataDir().resolve("tls/client");
        cli.run(
                "gateway",
                "add",
                "https://127.0.0.1:" + port,
                "--name",
                "gone",
                "--no-verify",
                "--ca",
                bundle.resolve("ca.crt").toString(),
                "--cert",
                bundle.resolve("tls.crt").toString(),
                "--key",
                bundle.resolve("tls.key").toString());

        long t0 = System.nanoTime();
        Result r = cli.run("sandbox", "list");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(r.exitCode()).isEqualTo(69);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err())
                .startsWith("error: gateway gone is not reachable: cannot connect to the gateway at https://127.0.0.1:"
                        + port);
    }

    @Test
    void aGatewayThatAcceptsButNeverAnswersFailsWithinFiveSeconds() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Path bundle = alpha.dataDir().resolve("tls/client");
            cli.run(
                    "gateway",
                    "add",
                    "https://127.0.0.1:" + silent.getLocalPort(),
                    "--name",
                    "silent",
                    "--no-verify",
                    "--ca",
                    bundle.resolve("ca.crt").toString(),
                    "--cert",
                    bundle.resolve("tls.crt").toString(),
                    "--key",
                    bundle.resolve("tls.key").toString());

            long t0 = System.nanoTime();
            Result r = cli.run("sandbox", "list");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(69);
            assertThat(r.err().lines().toList()).hasSize(2);
        }
    }

    @Test
    void anotherGatewaysCertificatesAreRefused() {
        Path wrong = beta.dataDir().resolve("tls/client");
        Path right = alpha.dataDir().resolve("tls/client");

        Result wrongCa = cli.run(
                "gateway",
                "add",
                alpha.url().toString(),
                "--name",
                "w1",
                "--ca",
                wrong.resolve("ca.crt").toString(),
                "--cert",
                right.resolve("tls.crt").toString(),
                "--key",
                right.resolve("tls.key").toString());
        Result wrongClient = cli.run(
                "gateway",
                "add",
                alpha.url().toString(),
                "--name",
                "w2",
                "--ca",
                right.resolve("ca.crt").toString(),
                "--cert",
                wrong.resolve("tls.crt").toString(),
                "--key",
                wrong.resolve("tls.key").toString());

        assertThat(wrongCa.exitCode()).as(wrongCa.toString()).isEqualTo(5);
        assertThat(wrongCa.err())
                .startsWith("error: the gateway at " + alpha.url() + " did not accept these credentials: TLS");
        assertThat(wrongClient.exitCode()).as(wrongClient.toString()).isEqualTo(5);
        assertThat(cli.run("gateway", "list").out()).doesNotContain("w1", "w2");
        assertThat(cli.configDir().resolve("gateways/w1")).doesNotExist();
    }

    @Test
    void certificatesSwappedAfterRegistrationAreATlsFailure() throws Exception {
        cli.registerOrFail("alpha", alpha);
        Path mtls = cli.configDir().resolve("gateways/alpha/mtls");
        Files.copy(
                beta.dataDir().resolve("tls/client/ca.crt"),
                mtls.resolve("ca.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Result r = cli.run("sandbox", "list");

        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.err()).startsWith("error: gateway alpha: TLS with the gateway at " + alpha.url() + " failed");
    }

    @Test
    void badInputToAddIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path bundle = alpha.dataDir().resolve("tls/client");
        Path notPem = Files.writeString(home.resolve("x.crt"), "not a certificate");

        assertThat(cli.run("gateway", "add", "http://gw.example.com").err())
                .startsWith("error: 'http://gw.example.com' is not an https:// URL");
        assertThat(cli.run("gateway", "add", "https://gw.example.com").err()).startsWith("error: no credentials given");
        assertThat(cli.run("gateway", "add", "https://gw.example.com", "--token", "t", "--cert", "c", "--key", "k")
                        .err())
                .startsWith("error: --token and --cert/--key exclude each other");
        assertThat(cli.run("gateway", "add", "https://gw.example.com", "--cert", "c")
                        .err())
                .startsWith("error: --cert and --key go together");
        assertThat(cli.run("gateway", "add", "https://gw.example.com", "--name", "Bad_Name", "--token", "t")
                        .err())
                .startsWith("error: gateway name 'Bad_Name'");
        Result r = cli.run(
                "gateway",
                "add",
                alpha.url().toString(),
                "--cert",
                notPem.toString(),
                "--key",
                bundle.resolve("tls.key").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --cert/--key: ");
        assertThat(cli.configDir().resolve("gateways"))
                .satisfiesAnyOf(
                        p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void addingANameTwiceIsAConflict() {
        cli.registerOrFail("alpha", alpha);

        Result again = cli.register("alpha", beta);

        assertThat(again.exitCode()).isEqualTo(4);
        assertThat(again.err()).startsWith("error: a gateway named alpha is registered already\n");
    }

    @Test
    void infoShowsEndpointHealthVersionDriverAndTheBundle() {
        cli.registerOrFail("alpha", alpha);

        Result r = cli.run("gateway", "info");
        Result json = cli.run("gateway", "info", "alpha", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains(
                        "name:          alpha (active)",
                        "endpoint:      " + alpha.url(),
                        "auth:          client certificate",
                        "client bundle: " + cli.configDir().resolve("gateways/alpha/mtls"),
                        "runs:          elsewhere",
                        "health:        ready",
                        "version:       ",
                        "driver:        test",
                        "database:      sqlite");
        assertThat(json.out()).contains("\"health\" : \"ready\"", "\"driver_available\" : true");
    }

    @Test
    void forgettingAnAddedGatewayNeedsConfirmationOffATerminal() {
        cli.registerOrFail("alpha", alpha);

        Result refused = cli.run("gateway", "destroy", "alpha");
        Result declined = cli.runInteractive("n\n", "gateway", "destroy", "alpha");
        Result confirmed = cli.runInteractive("y\n", "gateway", "destroy", "alpha");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).startsWith("error: not on a terminal: confirm with --yes to forget gateway alpha");
        assertThat(declined.exitCode()).isEqualTo(1);
        assertThat(confirmed.exitCode()).isZero();
        assertThat(confirmed.out()).isEqualTo("gateway alpha forgotten\n");
        assertThat(cli.configDir().resolve("gateways/alpha")).doesNotExist();
        assertThat(cli.configDir().resolve("active_gateway")).doesNotExist();
        assertThat(cli.run("sandbox", "list", "-g", "alpha").exitCode()).isEqualTo(3);
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
