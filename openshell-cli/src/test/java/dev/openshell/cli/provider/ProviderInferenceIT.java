package dev.openshell.cli.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LiveGateways;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Providers and inference routes against a real gateway; no output ever carries a credential value. */
class ProviderInferenceIT {

    static final String SECRET = "sk-test-0penshell-s3cret-value";

    @TempDir
    Path home;

    CliSession cli;
    final List<Result> everything = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cli = new CliSession(home);
        cli.registerOrFail("alpha", LiveGateways.alpha());
    }

    @AfterEach
    void noOutputShowsTheSecret() {
        cli.run("inference", "delete", "prov-route");
        for (String p : List.of("prov-openai", "prov-gh", "prov-inline", "prov-upd")) {
            cli.run("provider", "delete", p);
        }
        assertThat(everything).allSatisfy(r -> assertThat(r.out() + r.err()).doesNotContain(SECRET));
    }

    private Result run(String... args) {
        Result r = cli.run(args);
        everything.add(r);
        return r;
    }

    @Test
    void fromExistingTakesTheTypesVariables() {
        cli.set("OPENAI_API_KEY", SECRET);

        Result create = run("provider", "create", "--name", "prov-openai", "--type", "openai", "--from-existing");
        Result get = run("provider", "get", "prov-openai");
        Result json = run("provider", "get", "prov-openai", "-o", "json");
        Result list = run("provider", "list");

        assertThat(create.exitCode()).as(create.toString()).isZero();
        assertThat(create.out()).isEqualTo("provider prov-openai created with OPENAI_API_KEY\n");
        assertThat(get.out())
                .contains(
                        "type:        openai",
                        "base url:    https://api.openai.com/v1",
                        "protocol:    openai",
                        "credentials: OPENAI_API_KEY (values are write-only)");
        assertThat(json.out()).contains("\"credential_keys\" : [ \"OPENAI_API_KEY\" ]");
        assertThat(list.out()).containsPattern("prov-openai +openai +https://api.openai.com/v1 +OPENAI_API_KEY");
    }

    @Test
    void githubTakesEitherTokenVariable() {
        cli.set("GH_TOKEN", SECRET);

        Result r = run("provider", "create", "--name", "prov-gh", "--type", "github", "--from-existing");

        assertThat(r.out()).isEqualTo("provider prov-gh created with GH_TOKEN\n");
    }

    @Test
    void fromExistingWithNothingSetOrAnUnknownTypeIsUsage() {
        cli.unset("ANTHROPIC_API_KEY");

        Result none = run("provider", "create", "--name", "prov-x", "--type", "anthropic", "--from-existing");
        Result unknown = run("provider", "create", "--name", "prov-x", "--type", "weird", "--from-existing");
        Result noCredential = run("provider", "create", "--name", "prov-x", "--type", "weird");

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("error: --from-existing: none of ANTHROPIC_API_KEY is set in this shell\n");
        assertThat(unknown.err()).startsWith("error: --from-existing does not know the type 'weird'\n");
        assertThat(noCredential.err()).startsWith("error: no credentials given\n");
    }

    @Test
    void aCredentialCanComeFromTheShellOrInlineAndBadValuesAreNotQuoted() {
        cli.set("MY_KEY", SECRET);

        Result fromShell = run(
                "provider",
                "create",
                "--name",
                "prov-inline",
                "--type",
                "custom",
                "--base-url",
                "https://api.example.com",
                "--credential",
                "MY_KEY");
        Result badValue = run(
                "provider",
                "create",
                "--name",
                "prov-bad",
                "--type",
                "custom",
                "--credential",
                "K=" + SECRET + "\u001b[2J");
        Result userInUrl = run(
                "provider",
                "create",
                "--name",
                "prov-bad",
                "--type",
                "custom",
                "--base-url",
                "https://u:" + SECRET + "@x.example",
                "--credential",
                "MY_KEY");

        assertThat(fromShell.exitCode()).as(fromShell.toString()).isZero();
        assertThat(badValue.exitCode()).isEqualTo(2);
        assertThat(badValue.err()).contains("credentials.K: the value has a character other than printable ASCII");
        assertThat(userInUrl.exitCode()).isEqualTo(2);
    }

    @Test
    void updateNeedsTheCredentialsAgainAndKeepsTheRest() {
        cli.set("OPENAI_API_KEY", SECRET);
        run("provider", "create", "--name", "prov-upd", "--type", "openai", "--from-existing");

        Result without = run("provider", "update", "prov-upd", "--base-url", "https://proxy.example/v1");
        Result with =
                run("provider", "update", "prov-upd", "--base-url", "https://proxy.example/v1", "--from-existing");
        Result get = run("provider", "get", "prov-upd");

        assertThat(without.exitCode()).isEqualTo(2);
        assertThat(without.err()).startsWith("error: give the credentials again");
        assertThat(with.exitCode()).as(with.toString()).isZero();
        assertThat(get.out()).contains("base url:    https://proxy.example/v1", "protocol:    openai");
    }

    @Test
    void deleteIsIdempotentAndAMissingProviderIsExit3() {
        assertThat(run("provider", "get", "prov-none").exitCode()).isEqualTo(3);
        assertThat(run("provider", "delete", "prov-none").out()).isEqualTo("provider prov-none was already absent\n");
    }

    @Test
    void inferenceRoutesAreSetShownAndDeleted() {
        cli.set("OPENAI_API_KEY", SECRET);
        run("provider", "create", "--name", "prov-openai", "--type", "openai", "--from-existing");

        Result set = run(
                "inference",
                "set",
                "--name",
                "prov-route",
                "--provider",
                "prov-openai",
                "--model",
                "gpt-4o",
                "--privacy",
                "local",
                "--timeout",
                "30s",
                "--cost-input",
                "2.50",
                "--cost-output",
                "10");
        Result get = run("inference", "get", "prov-route", "-o", "json");
        Result all = run("inference", "get");
        Result delete = run("inference", "delete", "prov-route");
        Result missingProvider =
                run("inference", "set", "--name", "prov-route", "--provider", "prov-none", "--model", "m");
        Result badPrivacy = run("inference", "set", "--provider", "prov-openai", "--model", "m", "--privacy", "public");

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.out()).containsPattern("prov-route +prov-openai +gpt-4o +local +30s +2.5 / 10");
        assertThat(get.out()).contains("\"model\" : \"gpt-4o\"", "\"privacy\" : \"local\"", "\"timeout\" : \"30s\"");
        assertThat(all.out()).contains("prov-route");
        assertThat(delete.out()).isEqualTo("inference route prov-route deleted\n");
        assertThat(missingProvider.exitCode()).as(missingProvider.toString()).isIn(2, 3);
        assertThat(badPrivacy.err()).startsWith("error: --privacy 'public' is not local or any\n");
    }
}
