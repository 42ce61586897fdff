package dev.openshell.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LiveGateways;
import dev.openshell.gateway.it.RunningGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API tokens: made with the operator's certificate, then used by a second registration as a CI job would. */
class GatewayTokensIT {

    @TempDir
    Path home;

    CliSession cli;
    RunningGateway alpha;

    @BeforeEach
    void setUp() {
        alpha = LiveGateways.alpha();
        cli = new CliSession(home);
        cli.registerOrFail("alpha", alpha);
    }

    private String createToken(String... scopes) {
        String[] args = new String[3 + scopes.length * 2];
        args[0] = "gateway";
        args[1] = "token";
        args[2] = "create";
        for (int i = 0; i < scopes.length; i++) {
            args[3 + 2 * i] = "--scope";
            args[4 + 2 * i] = scopes[i];
        }
        Result r = cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.out().strip();
    }

    @Test
    void aTokenPrintsItsSecretAloneAndWorksForItsScopes() throws Exception {
        Result created =
                cli.run("gateway", "token", "create", "--name", "ci", "--scope", "sandbox:read", "--expires", "1h");
        String secret = created.out().strip();

        assertThat(created.out().lines()).hasSize(1);
        assertThat(created.err()).contains("(sandbox:read)", "shown only this once");
        Result add = cli.runWithStdin(
                secret + "\n",
                "gateway",
                "add",
                alpha.url().toString(),
                "--name",
                "ci",
                "--ca",
                alpha.dataDir().resolve("tls/client/ca.crt").toString(),
                "--token",
                "-");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        Path tokenFile = cli.configDir().resolve("gateways/ci/token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(cli.configDir().resolve("gateways/ci/metadata.json")))
                .doesNotContain(secret);

        Result list = cli.run("sandbox", "list", "-g", "ci", "-o", "json");
        Result write = cli.run("sandbox", "create", "-g", "ci", "--name", "tok-denied", "--detach");
        Result tokens = cli.run("gateway", "token", "list", "-g", "ci");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(write.exitCode()).isEqualTo(5);
        assertThat(write.err()).startsWith("error: this needs the scope sandbox:write\n");
        assertThat(tokens.exitCode())
                .as("tokens are managed with the certificate only")
                .isEqualTo(5);
        assertThat(cli.run("gateway", "token", "list", "-g", "alpha").out())
                .containsPattern("ci +sandbox:read +valid")
                .doesNotContain(secret);
    }

    @Test
    void aRevokedTokenStopsWorking() {
        Result created =
                cli.run("gateway", "token", "create", "--name", "revoked", "--scope", "sandbox:read", "-o", "json");
        var doc = dev.openshell.api.json.ApiJson.lenient()
                .readValue(created.out(), dev.openshell.api.auth.ApiTokenCreated.class);
        cli.runWithStdin(
                doc.secret(),
                "gateway",
                "add",
                alpha.url().toString(),
                "--name",
                "ci",
                "--ca",
                alpha.dataDir().resolve("tls/client/ca.crt").toString(),
                "--token",
                "-");
        assertThat(cli.run("sandbox", "list", "-g", "ci").exitCode()).isZero();

        Result revoke = cli.run("gateway", "token", "revoke", doc.token().id(), "-g", "alpha");
        Result again = cli.run("gateway", "token", "revoke", doc.token().id(), "-g", "alpha");
        Result use = cli.run("sandbox", "list", "-g", "ci");

        assertThat(revoke.out()).isEqualTo("token " + doc.token().id() + " revoked\n");
        assertThat(again.out()).isEqualTo("token " + doc.token().id() + " was already revoked or does not exist\n");
        assertThat(use.exitCode()).isEqualTo(5);
        assertThat(use.err()).startsWith("error: ");
    }

    @Test
    void anExpiredTokenSaysSoAndHowToGetANewOne() throws Exception {
        String secret = createToken("sandbox:read");
        Result create = cli.run("gateway", "token", "create", "--scope", "sandbox:read", "--expires", "1s");
        String shortLived = create.out().strip();
        cli.runWithStdin(
                shortLived,
                "gateway",
                "add",
                alpha.url().toString(),
                "--name",
                "old",
                "--no-verify",
                "--ca",
                alpha.dataDir().resolve("tls/client/ca.crt").toString(),
                "--token",
                "-");
        // Polled until the token has expired (its lifetime is 1 s).
        Result r = await().atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> cli.run("sandbox", "list", "-g", "old"), result -> result.exitCode() != 0);

        assertThat(secret).isNotEmpty();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.err().lines())
                .containsExactly(
                        r.err().lines().findFirst().orElseThrow(),
                        "The API token has expired: create a new one with openshell gateway token create.");
        assertThat(r.err()).startsWith("error: ");
    }

    @Test
    void aWrongTokenIsRefusedAtAdd() {
        Result r = cli.run(
                "gateway",
                "add",
                alpha.url().toString(),
                "--name",
                "bad",
                "--ca",
                alpha.dataDir().resolve("tls/client/ca.crt").toString(),
                "--token",
                "osh_not_a_real_token");

        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.err()).startsWith("error: the gateway at " + alpha.url() + " did not accept these credentials");
        assertThat(cli.configDir().resolve("gateways/bad")).doesNotExist();
    }

    @Test
    void unknownScopesAreUsage() {
        Result r = cli.run("gateway", "token", "create", "--scope", "sandbox:everything");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: unknown scope 'sandbox:everything'; known scopes: sandbox:read");
    }
}
