package dev.openshell.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.bootstrap.local.LocalGateways;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.sandbox.net.FakeInternet;
import dev.openshell.sandbox.proxy.TestUpstream;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One user's whole day with the CLI, in order, against a real gateway daemon with the local driver
 * (real sandboxes) and an upstream in a fake internet: start a gateway, create a sandbox, a request
 * denied with the proxy's 403 JSON, {@code policy set --wait}, the same request allowed, exec exit
 * codes, files up and down, {@code connect} through the system's OpenSSH client, {@code apply}
 * twice (the second changes nothing), the gateway stopped and started again with the sandboxes
 * still there and reachable, then delete and destroy leaving nothing behind.
 */
@RequiresRoot
@RequiresTool({"ip", "nft", "curl", "ssh", "tar"})
class UserJourneyIT {

    @TempDir
    Path home;

    private CliSession cli;
    private FakeInternet internet;
    private TestUpstream upstream;
    private String upstreamUrl;

    @BeforeEach
    void setUp() {
        cli = new CliSession(home);
        internet = FakeInternet.open();
        String ip = internet.upstreamAddress();
        upstream = internet.inside(() -> new TestUpstream(ip, null));
        upstreamUrl = "http://" + ip + ":" + upstream.port() + "/hello";
    }

    @AfterEach
    void tearDown() throws Exception {
        LocalGateways.stop(home.resolve("data/openshell/gateways/journey"), Duration.ofSeconds(30));
        if (upstream != null) {
            upstream.close();
        }
        if (internet != null) {
            internet.close();
        }
    }

    @Test
    void fromGatewayStartToNothingLeft() throws Exception {
        String upstreamHost = upstreamUrl.substring("http://".length(), upstreamUrl.lastIndexOf(':'));
        ok(cli.run("gateway", "start", "--name", "journey", "--port", Integer.toString(freePort())));
        ok(cli.run("sandbox", "create", "--name", "app", "--detach"));
        String id =
                cli.run("sandbox", "get", "app", "-o", "json").out().replaceAll("(?s).*\"id\" : \"([^\"]+)\".*", "$1");

        // No policy: the proxy refuses, says why, and names the command that would allow it.
        Result denied = cli.run("sandbox", "exec", "app", "--", "curl", "-s", "-w", " %{http_code}", upstreamUrl);
        assertThat(denied.out())
                .contains("\"error\":\"policy_denied\"", "\"next_steps\":\"openshell policy update app ")
                .endsWith(" 403");

        Path policy = Files.writeString(
                home.resolve("allow.yaml"),
                "version: 1\nnetwork_policies:\n  up:\n"
                        + "    endpoints:\n      - host: " + upstreamHost + "\n        port: " + upstream.port()
                        + "\n    binaries:\n      - path: /usr/bin/curl\n");
        ok(cli.run("policy", "set", "app", "--policy", policy.toString(), "--wait"));
        Result allowed = cli.run(
                "sandbox", "exec", "app", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", upstreamUrl);
        assertThat(allowed.out()).isEqualTo("200");
        assertThat(cli.run("sandbox", "exec", "app", "--", "sh", "-c", "echo out; echo err >&2; exit 7"))
                .isEqualTo(new Result(7, "out\n", "err\n"));

        // Files up and back down.
        Path project = Files.createDirectories(home.resolve("project"));
        Files.writeString(project.resolve("notes.txt"), "kept in the sandbox\n");
        ok(cli.run("sandbox", "upload", "app", project.toString(), "/sandbox"));
        ok(cli.run(
                "sandbox",
                "download",
                "app",
                "/sandbox/project",
                home.resolve("back").toString()));
        assertThat(home.resolve("back/project/notes.txt")).hasContent("kept in the sandbox");

        // The system's OpenSSH client, through the gateway's tunnel.
        Result ssh = cli.run("sandbox", "connect", "app", "--", "cat", "/sandbox/project/notes.txt");
        assertThat(ssh.exitCode()).as(ssh.toString()).isZero();
        assertThat(ssh.out()).isEqualTo("kept in the sandbox\n");

        // Declarative: the second apply changes nothing.
        Path file = Files.writeString(home.resolve("journey.yaml"), """
                name: journey
                sandboxes:
                  - name: batch
                    command: [sleep, infinity]
                """);
        ok(cli.run("apply", "-f", file.toString()));
        assertThat(ok(cli.run("apply", "-f", file.toString())).out()).contains("sandbox batch: unchanged");

        // The gateway goes away and comes back; its sandboxes stay, and answer again.
        ok(cli.run("gateway", "stop"));
        assertThat(cli.run("sandbox", "list").exitCode()).isEqualTo(69);
        ok(cli.run("gateway", "start", "--name", "journey"));
        assertThat(ok(cli.run("sandbox", "list")).out()).contains("app ", "batch ");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(cli.run("sandbox", "exec", "app", "--", "cat", "/sandbox/project/notes.txt")
                                        .out())
                                .isEqualTo("kept in the sandbox\n"));

        ok(cli.run("sandbox", "delete", "app", "batch"));
        Path data = home.resolve("data/openshell/gateways/journey");
        ok(cli.run("gateway", "destroy", "--yes"));
        assertThat(data).doesNotExist();
        assertThat(Path.of("/var/run/netns/osh-" + id)).doesNotExist();
        assertThat(Path.of("/run/openshell/sandboxes", id)).doesNotExist();
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains(home.toString())))
                .as("nothing of the gateway or its sandboxes runs on")
                .isEmpty();
    }

    private static Result ok(Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
