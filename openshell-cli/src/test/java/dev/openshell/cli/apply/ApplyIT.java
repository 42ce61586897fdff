package dev.openshell.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.json.ApiJson;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LiveGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code openshell apply} against a real gateway: converging, in-place policy loads, drift, prune, bad files. */
class ApplyIT {

    static final String SECRET = "sk-apply-it-0123456789abcdef";

    static final String EXAMPLE_POLICY = """
            version: 1
            network_policies:
              example:
                endpoints:
                  - host: example.com
                    port: 443
                binaries:
                  - path: /usr/bin/curl
            """;

    static final String FILE = """
            name: ait
            providers:
              - name: ait-openai
                type: openai
                from_existing: true
            sandboxes:
              - name: ait-web
                command: [sleep, "120"]
                labels: {team: web}
                providers: [ait-openai]
                policy_file: web-policy.yaml
              - name: ait-batch
                command: [sleep, "120"]
                env: {MODE: batch}
                resources: {memory: 64m, pids: 100}
                policy:
                  version: 1
                  network_policies:
                    pypi:
                      endpoints:
                        - host: pypi.org
                          port: 443
                      binaries:
                        - path: /usr/bin/pip
            """;

    @TempDir
    Path home;

    CliSession cli;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        cli = new CliSession(home).set("OPENAI_API_KEY", SECRET);
        cli.registerOrFail("alpha", LiveGateways.alpha());
        Files.writeString(home.resolve("web-policy.yaml"), EXAMPLE_POLICY);
        file = Files.writeString(home.resolve("ait.yaml"), FILE);
    }

    @AfterEach
    void tearDown() {
        cli.run("sandbox", "delete", "--all", "--selector", "openshell.dev/apply=ait");
        cli.run("sandbox", "delete", "ait-web", "ait-batch", "ait-extra");
        cli.run("provider", "delete", "ait-openai");
    }

    @Test
    void firstApplyCreatesEverythingAndTheSecondChangesNothing() {
        Result first = apply();
        Result second = apply();
        Result get = cli.run("sandbox", "get", "ait-web");
        Result provider = cli.run("provider", "get", "ait-openai");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("""
                        provider ait-openai: created (credentials OPENAI_API_KEY)
                        sandbox ait-web: created (Ready)
                        sandbox ait-batch: created (Ready)
                        applied ait: 3 created
                        """);
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).isEqualTo("""
                        provider ait-openai: unchanged
                        sandbox ait-web: unchanged
                        sandbox ait-batch: unchanged
                        applied ait: 3 unchanged
                        """);
        assertThat(get.out()).contains("labels:    openshell.dev/apply=ait,team=web", "providers: ait-openai");
        assertThat(provider.out()).contains("OPENAI_API_KEY");
        for (Result r : new Result[] {first, second, get, provider}) {
            assertThat(r.out() + r.err()).doesNotContain(SECRET).doesNotContain("batch\n");
        }
    }

    @Test
    void aChangedNetworkPolicyIsLoadedInPlace() throws Exception {
        apply();
        Files.writeString(home.resolve("web-policy.yaml"), EXAMPLE_POLICY.replace("example.com", "api.example.com"));

        Result r = apply();
        Result policy = cli.run("policy", "get", "ait-web");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("sandbox ait-web: updated (policy revision 2 loaded (2 network policy changes))\n")
                .contains("sandbox ait-batch: unchanged\n")
                .endsWith("applied ait: 1 updated, 2 unchanged\n");
        assertThat(policy.out()).contains("revision 2 (loaded)", "host: api.example.com");
        assertThat(apply().out()).endsWith("applied ait: 3 unchanged\n");
    }

    @Test
    void whatCannotChangeInPlaceIsReportedAsDriftWithExit4() throws Exception {
        apply();
        Files.writeString(
                file,
                FILE.replace(
                                "command: [sleep, \"120\"]\n    labels: {team: web}",
                                "command: [sleep, \"99\"]\n    labels: {team: api}")
                        .replace("memory: 64m", "memory: 128m"));
        Files.writeString(home.resolve("web-policy.yaml"), "version: 1\nprocess:\n  run_as_user: agent\n");

        Result r = apply();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.out())
                .contains("sandbox ait-web: drifted (command, labels, policy (process")
                .contains("cannot change in place: openshell sandbox delete ait-web, then apply again)")
                .contains("sandbox ait-batch: drifted (resources cannot change in place");
        assertThat(cli.run("policy", "list", "ait-web").out().lines()).hasSize(2);
    }

    @Test
    void sandboxesTheFileNoLongerListsAreKeptUnlessPruned() throws Exception {
        apply();
        Files.writeString(file, FILE.substring(0, FILE.indexOf("  - name: ait-batch")));

        Result kept = apply();
        Result dry = cli.run("apply", "-f", file.toString(), "--prune", "--dry-run");
        Result stillThere = cli.run("sandbox", "get", "ait-batch");
        Result pruned = cli.run("apply", "-f", file.toString(), "--prune");
        Result gone = cli.run("sandbox", "get", "ait-batch");

        assertThat(kept.exitCode()).as(kept.toString()).isZero();
        assertThat(kept.out()).contains("sandbox ait-batch: kept (not in the file (--prune deletes it))\n");
        assertThat(dry.out())
                .contains("sandbox ait-batch: deleted (not in the file)\n")
                .endsWith("dry run of ait: 1 deleted, 2 unchanged (nothing was changed)\n");
        assertThat(stillThere.exitCode()).isZero();
        assertThat(pruned.exitCode()).as(pruned.toString()).isZero();
        assertThat(pruned.out()).contains("sandbox ait-batch: deleted (not in the file (--prune))\n");
        assertThat(gone.exitCode()).isEqualTo(3);
    }

    @Test
    void aSandboxOfTheSameNameMadeOtherwiseStopsTheApplyBeforeAnyWrite() {
        Result made = cli.run("sandbox", "create", "--name", "ait-batch", "--detach", "--", "sleep", "60");
        assertThat(made.exitCode()).as(made.toString()).isZero();

        Result r = apply();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.out()).isEmpty();
        assertThat(r.err())
                .isEqualTo("error: sandbox ait-batch exists and was not made by apply file 'ait'\n"
                        + "rename it in the file, or delete it first: openshell sandbox delete ait-batch\n");
        assertThat(cli.run("sandbox", "get", "ait-web").exitCode()).isEqualTo(3);
        assertThat(cli.run("provider", "get", "ait-openai").exitCode()).isEqualTo(3);
    }

    @Test
    void dryRunChangesNothingAndJsonIsTheOutcomeShape() {
        Result dry = cli.run("apply", "-f", file.toString(), "--dry-run", "-o", "json");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        var doc = ApiJson.lenient().readTree(dry.out());
        assertThat(doc.get("set").asString()).isEqualTo("ait");
        assertThat(doc.get("dry_run").asBoolean()).isTrue();
        assertThat(doc.get("changes")).hasSize(3);
        assertThat(doc.get("changes").get(1).get("result").asString()).isEqualTo("created");
        assertThat(dry.out()).doesNotContain(SECRET);
        assertThat(cli.run("sandbox", "get", "ait-web").exitCode()).isEqualTo(3);
        assertThat(cli.run("provider", "get", "ait-openai").exitCode()).isEqualTo(3);
    }

    @Test
    void aMissingCredentialStopsTheApplyBeforeAnyWrite() {
        Result r = cli.unset("OPENAI_API_KEY").run("apply", "-f", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err())
                .startsWith(
                        "error: provider ait-openai: --from-existing: none of OPENAI_API_KEY is set in this shell\n");
        assertThat(cli.run("sandbox", "get", "ait-web").exitCode()).isEqualTo(3);
    }

    @Test
    void everyMistakeInTheFileIsListedWithItsLineAndNothingIsSent() throws Exception {
        Path bad = Files.writeString(home.resolve("bad.yaml"), """
                sandboxes:
                  - name: ait-bad
                    comand: [true]
                    resources: {memory: lots}
                  - name: Not_A_Name
                    policy:
                      version: 1
                      network_policies:
                        x:
                          endpoints:
                            - host: example.com
                              port: 70000
                providers:
                  - name: ait-p
                    type: openai
                    credentials: [OPENAI_API_KEY=sk-inline]
                """);

        Result r = cli.run("apply", "-f", bad.toString(), "--debug");
        Result missing = cli.run("apply", "-f", home.resolve("nope.yaml").toString());
        Result yaml = cli.run(
                "apply", "-f", Files.writeString(home.resolve("y.yaml"), "a: [").toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err())
                .contains(bad + ":3:5: sandboxes[0].comand: unknown key 'comand'; did you mean 'command'?")
                .contains(bad + ":4:25: sandboxes[0].resources.memory: not a size like 512m")
                .contains("sandboxes[1].name:")
                .contains("sandboxes[1].policy.network_policies.x.endpoints[0].port")
                .contains("providers[0].credentials[0]: name the variable only")
                .doesNotContain("sk-inline");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: " + home.resolve("nope.yaml") + ": no such file\n");
        assertThat(yaml.exitCode()).isEqualTo(2);
        assertThat(yaml.err()).startsWith("error: " + home.resolve("y.yaml") + ": not valid YAML");
        assertThat(cli.run("sandbox", "get", "ait-bad").exitCode()).isEqualTo(3);
    }

    private Result apply() {
        return cli.run("apply", "-f", file.toString());
    }
}
