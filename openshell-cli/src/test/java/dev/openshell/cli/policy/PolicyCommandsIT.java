package dev.openshell.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.json.ApiJson;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LiveGateways;
import dev.openshell.gateway.testdriver.ProcessTestDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The online policy commands against a real gateway; the test driver acks revisions like a supervisor. */
class PolicyCommandsIT {

    static final String EXAMPLE = """
            version: 1
            network_policies:
              example:
                endpoints:
                  - host: example.com
                    port: 443
                binaries:
                  - path: /usr/bin/curl
            """;

    @TempDir
    Path home;

    CliSession cli;
    String sandbox;

    @BeforeEach
    void setUp(org.junit.jupiter.api.TestInfo test) {
        cli = new CliSession(home);
        cli.registerOrFail("alpha", LiveGateways.alpha());
        sandbox = "pol-" + Integer.toHexString(test.getDisplayName().hashCode() & 0xfffff);
        Result r = cli.run("sandbox", "create", "--name", sandbox, "--detach", "--", "sleep", "120");
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        cli.run("sandbox", "delete", sandbox);
    }

    @Test
    void getPrintsThePolicyInForceUnderAComment() {
        Result r = cli.run("policy", "get", sandbox);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("# sandbox " + sandbox + ", policy revision 1 (loaded)\nversion: 1\n");
    }

    @Test
    void whatGetPrintsInAnyFormatIsAcceptedUnchangedBySet() throws Exception {
        for (String format : new String[] {"table", "yaml", "json"}) {
            Result get = cli.run("policy", "get", sandbox, "-o", format);
            Path file = Files.writeString(home.resolve("p." + format), get.out());

            Result set = cli.run("policy", "set", sandbox, "--policy", file.toString(), "--wait");

            assertThat(set.exitCode()).as(format + "\n" + set).isZero();
            assertThat(set.out())
                    .as(format)
                    .isEqualTo("policy of sandbox " + sandbox + " unchanged (revision 1 is loaded)\n");
        }
        assertThat(cli.run("policy", "list", sandbox).out().lines()).hasSize(2);
    }

    @Test
    void setWaitExitsZeroOnceLoaded() throws Exception {
        Path file = Files.writeString(home.resolve("example.yaml"), EXAMPLE);

        Result r = cli.run("policy", "set", sandbox, "-f", file.toString(), "--wait");
        Result get = cli.run("policy", "get", sandbox, "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("policy revision 2 of sandbox " + sandbox + " is loaded\n");
        PolicyRevision rev = ApiJson.lenient().readValue(get.out(), PolicyRevision.class);
        assertThat(rev.number()).isEqualTo(2);
        assertThat(rev.status()).isEqualTo(RevisionStatus.LOADED);
        assertThat(rev.policy()).contains("example.com");
    }

    @Test
    void setFromStandardInput() {
        Result r = cli.runWithStdin(EXAMPLE, "policy", "set", sandbox, "--policy", "-");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("policy revision 2 of sandbox " + sandbox);
    }

    @Test
    void setWaitExitsOneWhenTheSandboxRejectsTheRevision() throws Exception {
        Path file = Files.writeString(
                home.resolve("rejected.yaml"), EXAMPLE.replace("example.com", ProcessTestDriver.REJECT_HOST));

        Result r = cli.run("policy", "set", sandbox, "--policy", file.toString(), "--wait");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err())
                .contains("error: sandbox " + sandbox + " rejected policy revision 2: rejected by the test driver");
        assertThat(cli.run("policy", "list", sandbox).out()).contains("failed", "rejected by the test driver");
    }

    @Test
    void setWaitExits124WhenNobodyLoadsTheRevision() throws Exception {
        cli.run("sandbox", "stop", sandbox);
        Path file = Files.writeString(home.resolve("example.yaml"), EXAMPLE);

        Result r = cli.run("policy", "set", sandbox, "--policy", file.toString(), "--wait", "--timeout", "1s");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(124);
        assertThat(r.err()).contains("error: policy revision 2 of sandbox " + sandbox + " is still pending after 1s");
    }

    @Test
    void aStaticChangeIsRefusedWithTheDifference() throws Exception {
        Path file = Files.writeString(home.resolve("static.yaml"), "version: 1\nprocess:\n  run_as_user: agent\n");

        Result r = cli.run("policy", "set", sandbox, "--policy", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err())
                .startsWith("error: sandbox " + sandbox
                        + ": filesystem_policy, landlock and process are fixed at creation");
    }

    @Test
    void anInvalidFileNeverReachesTheGateway() throws Exception {
        Path file = Files.writeString(home.resolve("bad.yaml"), "version: 2\n");

        Result r = cli.run("policy", "set", sandbox, "--policy", file.toString());
        Result missing = cli.run(
                "policy", "set", sandbox, "--policy", home.resolve("nope.yaml").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + file + ":1:10: version:");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: " + home.resolve("nope.yaml") + ": no such file");
        assertThat(cli.run("policy", "list", sandbox).out().lines()).hasSize(2);
    }

    @Test
    void updateMergesWhatADenialSuggests() {
        Result add = cli.run(
                "policy",
                "update",
                sandbox,
                "--add-endpoint",
                "api.github.com:443:read-only",
                "--binary",
                "/usr/bin/gh",
                "--wait");
        Result rule = cli.run(
                "policy",
                "update",
                sandbox,
                "--add-allow",
                "uploads.github.com:443 POST /repos/**",
                "--binary",
                "/usr/bin/gh",
                "--wait");
        Result get = cli.run("policy", "get", sandbox);

        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(add.out()).isEqualTo("policy revision 2 of sandbox " + sandbox + " is loaded\n");
        assertThat(rule.exitCode()).as(rule.toString()).isZero();
        assertThat(get.out()).contains("api.github.com", "access: read-only", "/usr/bin/gh", "POST", "/repos/**");
    }

    @Test
    void updateRefusesWhatCannotApply() {
        Result missing = cli.run("policy", "update", sandbox, "--remove-endpoint", "nowhere.example:443");
        Result malformed = cli.run("policy", "update", sandbox, "--add-endpoint", "no-port", "--binary", "/b");
        Result noBinary = cli.run("policy", "update", sandbox, "--add-allow", "x.example:443 GET /");
        Result nothing = cli.run("policy", "update", sandbox);

        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(2);
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).startsWith("error: ");
        assertThat(noBinary.err()).startsWith("error: --add-allow needs --binary\n");
        assertThat(nothing.err()).startsWith("error: no change given\n");
    }

    @Test
    void listShowsRevisionsNewestFirst() throws Exception {
        cli.run(
                "policy",
                "set",
                sandbox,
                "--policy",
                Files.writeString(home.resolve("e.yaml"), EXAMPLE).toString(),
                "--wait");

        Result r = cli.run("policy", "list", sandbox);
        Result json = cli.run("policy", "list", sandbox, "-o", "json");

        assertThat(r.out().lines().toList().get(0)).matches("REVISION +STATUS +AGE +LOADED +HASH +ERROR");
        assertThat(r.out().lines().toList().get(1)).matches("2 +loaded +.*sha256:.*");
        assertThat(r.out().lines().toList().get(2)).matches("1 +superseded +.*");
        assertThat(json.out()).contains("\"items\"", "\"number\" : 2", "\"status\" : \"superseded\"");
    }

    @Test
    void diffComparesWithThePolicyInForceOrAnotherFile() throws Exception {
        Path example = Files.writeString(home.resolve("e.yaml"), EXAMPLE);
        Path empty = Files.writeString(home.resolve("empty.yaml"), "version: 1\n");

        Result online = cli.run("policy", "diff", sandbox, "--policy", example.toString());
        Result same = cli.run("policy", "diff", sandbox, "--policy", empty.toString());
        Result offline =
                cli.run("policy", "diff", "--from", empty.toString(), "--policy", example.toString(), "-o", "json");
        Result both = cli.run("policy", "diff", sandbox, "--from", empty.toString(), "--policy", example.toString());

        assertThat(online.exitCode()).isEqualTo(1);
        assertThat(online.out()).contains("network (hot-reloadable):", "+ network_policies.example");
        assertThat(same.exitCode()).as(same.toString()).isZero();
        assertThat(offline.exitCode()).isEqualTo(1);
        assertThat(offline.out()).contains("\"same\" : false", "\"network_changes\"");
        assertThat(both.exitCode()).isEqualTo(2);
    }
}
