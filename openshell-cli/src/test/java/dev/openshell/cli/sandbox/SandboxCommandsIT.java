package dev.openshell.cli.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.Page;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LiveGateways;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;

/**
 * The sandbox commands against a real gateway whose test driver runs sandboxes as local processes.
 * What needs a real supervisor (the streaming exec behind {@code exec} and an attached {@code
 * create}, SSH, files) is in {@code SandboxSessionsIT} and its neighbours, on the local driver.
 */
class SandboxCommandsIT {

    @TempDir
    Path home;

    CliSession cli;
    final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() {
        cli = new CliSession(home);
        cli.registerOrFail("alpha", LiveGateways.alpha());
    }

    @AfterEach
    void tearDown() {
        for (String name : created) {
            cli.run("sandbox", "delete", name);
        }
    }

    @Test
    void createDetachedWaitsForReadyAndGetShowsIt() {
        Result r = create(
                "sb-detached",
                "--label",
                "team=ml",
                "--env",
                "K=v",
                "--memory",
                "64m",
                "--cpus",
                "0.5",
                "--pids",
                "100",
                "--",
                "sleep",
                "60");
        Result get = cli.run("sandbox", "get", "sb-detached");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("sandbox sb-detached is Ready\n");
        assertThat(get.out())
                .contains(
                        "name:      sb-detached",
                        "phase:     Ready",
                        "command:   sleep 60",
                        "labels:    team=ml",
                        "resources: memory 64 MiB, cpus 0.5, pids 100",
                        "policy:    revision 1 loaded");
        assertThat(get.out()).doesNotContain("K=v");
    }

    @Test
    void aMissingSandboxIsExit3InOneLine() {
        for (String[] cmd : new String[][] {
            {"sandbox", "get", "sb-nope"},
            {"sandbox", "stop", "sb-nope"},
            {"sandbox", "start", "sb-nope"},
            {"sandbox", "exec", "sb-nope", "--", "true"},
            {"policy", "get", "sb-nope"},
            {"logs", "sb-nope"}
        }) {
            Result r = cli.run(cmd);
            assertThat(r.exitCode()).as(String.join(" ", cmd) + "\n" + r).isEqualTo(3);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines().toList()).as(r.toString()).hasSize(2);
            assertThat(r.err()).startsWith("error: no sandbox named sb-nope\n");
        }
    }

    @Test
    void deleteIsIdempotentAndTakesSeveralOrAll() {
        create("sb-del-a", "--label", "del=yes", "--", "sleep", "60");
        create("sb-del-b", "--label", "del=yes", "--", "sleep", "60");
        create("sb-del-c", "--", "sleep", "60");

        Result one = cli.run("sandbox", "delete", "sb-del-c", "sb-del-gone");
        Result selected = cli.run("sandbox", "delete", "--all", "--selector", "del=yes", "-o", "json");

        assertThat(one.out()).isEqualTo("sandbox sb-del-c deleted\nsandbox sb-del-gone was already absent\n");
        assertThat(selected.out())
                .contains("\"name\" : \"sb-del-a\"", "\"name\" : \"sb-del-b\"", "\"result\" : \"deleted\"");
        assertThat(cli.run("sandbox", "list", "--selector", "del=yes").err()).isEqualTo("no sandboxes match del=yes\n");
    }

    @Test
    void deleteRefusesConflictingFlags() {
        Result both = cli.run("sandbox", "delete", "x", "--all");
        Result neither = cli.run("sandbox", "delete");
        Result selectorAlone = cli.run("sandbox", "delete", "x", "--selector", "a=b");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).startsWith("error: --all and sandbox names exclude each other\n");
        assertThat(neither.err()).startsWith("error: name the sandboxes to delete, or give --all\n");
        assertThat(selectorAlone.err()).startsWith("error: --selector needs --all\n");
    }

    @Test
    void stopAndStartAgain() {
        create("sb-stop", "--", "sleep", "60");

        Result stop = cli.run("sandbox", "stop", "sb-stop");
        Result start = cli.run("sandbox", "start", "sb-stop");

        assertThat(stop.out()).isEqualTo("sandbox sb-stop is Stopped\n");
        assertThat(start.out()).isEqualTo("sandbox sb-stop is Ready\n");
    }

    @Test
    void execInAStoppedSandboxIsNotReady() {
        create("sb-exec-stopped", "--", "sleep", "60");
        cli.run("sandbox", "stop", "sb-exec-stopped");

        Result r = cli.run("sandbox", "exec", "sb-exec-stopped", "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    }

    @Test
    void listIsATableOrTheApisShape() throws Exception {
        create("sb-list-a", "--label", "app=web", "--", "sleep", "60");
        create("sb-list-b", "--label", "app=db", "--", "sleep", "60");

        Result table = cli.run("sandbox", "list", "--selector", "app");
        Result json = cli.run("sandbox", "list", "--selector", "app=web", "-o", "json");
        Result yaml = cli.run("sandbox", "list", "--selector", "app=db", "-o", "yaml");

        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).matches("NAME +PHASE +AGE +COMMAND +LABELS");
        assertThat(lines).anyMatch(l -> l.matches("sb-list-a +Ready +\\d+s +sleep 60 +app=web"));
        Page<Sandbox> page = ApiJson.lenient().readValue(json.out(), new TypeReference<Page<Sandbox>>() {});
        assertThat(page.items()).extracting(Sandbox::name).containsExactly("sb-list-a");
        assertThat(page.items().getFirst().phase()).isEqualTo(SandboxPhase.READY);
        assertThat(yaml.out()).startsWith("items:\n- id: ").contains("  name: sb-list-b\n", "  phase: Ready\n");
    }

    @Test
    void anInvalidPolicyIsRefusedHereWithItsLine() throws Exception {
        Path policy = Files.writeString(
                home.resolve("bad.yaml"),
                "version: 1\nnetwork_policies:\n  x:\n    endpoints:\n      - host: '*'\n        port: 443\n");

        Result r = cli.run("sandbox", "create", "--name", "sb-badpolicy", "--policy", policy.toString(), "--detach");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().toList())
                .as(r.toString())
                .hasSize(4)
                .first()
                .asString()
                .startsWith("error: " + policy + ":4:5: network_policies.x.binaries: at least one binary is required");
        assertThat(r.err()).contains("  " + policy + ":5:15: network_policies.x.endpoints[0].host: invalid host `*`");
        assertThat(cli.run("sandbox", "get", "sb-badpolicy").exitCode()).isEqualTo(3);
    }

    @Test
    void badValuesAreRefusedBeforeAnyRequest() {
        assertThat(cli.run("sandbox", "create", "--name", "Bad_Name", "--detach")
                        .err())
                .startsWith("error: name: 'Bad_Name'");
        assertThat(cli.run("sandbox", "create", "--memory", "lots", "--detach").err())
                .startsWith("error: --memory: 'lots' is not a size");
        assertThat(cli.run("sandbox", "create", "--memory", "1k", "--detach").err())
                .startsWith("error: resources.memory_bytes: 1024 is out of range");
        assertThat(cli.run("sandbox", "create", "--label", "novalue", "--detach")
                        .err())
                .startsWith("error: --label 'novalue' is not KEY=VALUE");
        assertThat(cli.run("sandbox", "create", "--env", "OPENSHELL_SURELY_UNSET", "--detach")
                        .err())
                .startsWith("error: --env 'OPENSHELL_SURELY_UNSET': it has no '=VALUE' and is not set in this shell");
        assertThat(cli.run("sandbox", "create", "--provider", "no-such-provider", "--detach")
                        .err())
                .startsWith("error: providers[0]: no such provider");
        assertThat(cli.run("sandbox", "list", "--selector", "=b").exitCode()).isEqualTo(2);
    }

    @Test
    void aNameTakenIsAConflict() {
        create("sb-twice", "--", "sleep", "60");

        Result again = cli.run("sandbox", "create", "--name", "sb-twice", "--detach", "--", "sleep", "60");

        assertThat(again.exitCode()).isEqualTo(4);
        assertThat(again.err()).startsWith("error: a sandbox named sb-twice exists\n");
    }

    @Test
    void aCommandThatCannotStartIsAFailedSandbox() {
        Result r = create("sb-nocmd", "--detach", "--", "/nonexistent/program");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(125);
        assertThat(r.err())
                .startsWith("error: sandbox sb-nocmd failed: create failed: cannot start /nonexistent/program");
    }

    private Result create(String name, String... args) {
        created.add(name);
        List<String> all = new ArrayList<>(List.of("sandbox", "create", "--name", name));
        List<String> rest = List.of(args);
        if (!rest.contains("--detach")) {
            all.add("--detach");
        }
        all.addAll(rest);
        return cli.run(all.toArray(String[]::new));
    }
}
