package dev.openshell.cli.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LiveGateways;
import dev.openshell.gateway.it.RunningGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logs} (paged and followed over SSE) and {@code status}; log lines are shipped as a supervisor would. */
class LogsStatusIT {

    @TempDir
    Path home;

    CliSession cli;
    RunningGateway alpha;
    String sandbox;

    @BeforeEach
    void setUp(org.junit.jupiter.api.TestInfo test) {
        alpha = LiveGateways.alpha();
        cli = new CliSession(home);
        cli.registerOrFail("alpha", alpha);
        sandbox = "logs-" + Integer.toHexString(test.getDisplayName().hashCode() & 0xfffff);
        assertThat(cli.run("sandbox", "create", "--name", sandbox, "--detach", "--", "sleep", "120")
                        .exitCode())
                .isZero();
    }

    @AfterEach
    void tearDown() {
        cli.run("sandbox", "delete", sandbox);
    }

    private void ship(LogLine... lines) {
        try (GatewayClient op = alpha.operator()) {
            op.post(ApiPaths.supervisorLogs(sandbox), List.of(lines), Void.class, RequestOptions.NONE);
        }
    }

    @Test
    void logsPrintsEveryLineWithItsSourceAndEscapesControlCharacters() {
        ship(
                new LogLine(null, LogLine.Source.AGENT, LogLine.Stream.STDOUT, "hello\tworld"),
                new LogLine(null, LogLine.Source.AGENT, LogLine.Stream.STDERR, "\u001b]0;pwned\u0007oops"),
                new LogLine(null, LogLine.Source.PROXY, null, "DENY example.com:443"));

        Result all = cli.run("logs", sandbox);
        Result proxy = cli.run("logs", sandbox, "--source", "proxy");
        Result tail = cli.run("logs", sandbox, "--tail", "1");
        Result json = cli.run("logs", sandbox, "-o", "json", "--source", "agent");

        assertThat(all.exitCode()).as(all.toString()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("\\S+Z agent/stdout hello\tworld"));
        assertThat(lines).anyMatch(l -> l.endsWith(" agent/stderr \\u001b]0;pwned\\u0007oops"));
        assertThat(all.out()).doesNotContain("\u001b");
        assertThat(proxy.out().lines()).hasSize(1).first().asString().endsWith(" proxy DENY example.com:443");
        assertThat(tail.out().lines()).hasSize(1).first().asString().endsWith("DENY example.com:443");
        assertThat(json.out().lines())
                .hasSize(2)
                .allMatch(l -> l.startsWith("{\"time\":\"") && l.contains("\"source\":\"agent\""));
    }

    @Test
    void followPrintsNewLinesUntilTheSandboxIsDeleted() throws Exception {
        ship(new LogLine(null, LogLine.Source.AGENT, LogLine.Stream.STDOUT, "before"));

        CompletableFuture<Result> follow =
                CompletableFuture.supplyAsync(() -> cli.run("logs", sandbox, "-f", "--source", "agent"));
        Thread.sleep(1500);
        ship(new LogLine(null, LogLine.Source.AGENT, LogLine.Stream.STDOUT, "after"));
        Thread.sleep(1500);
        cli.run("sandbox", "delete", sandbox);
        Result r = follow.get(30, TimeUnit.SECONDS);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)))
                .containsExactly("before", "after");
    }

    @Test
    void badLogFlagsAreUsage() {
        assertThat(cli.run("logs", sandbox, "--source", "kernel").err())
                .startsWith("error: --source 'kernel' is not agent, supervisor, proxy or gateway\n");
        assertThat(cli.run("logs", sandbox, "--since", "5 minutes").exitCode()).isEqualTo(2);
        assertThat(cli.run("logs", sandbox, "--tail", "-1").exitCode()).isEqualTo(2);
    }

    @Test
    void statusNamesTheGatewayAndCountsWhatItHolds() {
        Result r = cli.run("status");
        Result json = cli.run("status", "-o", "json");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("gateway:    alpha at " + alpha.url() + ", version ", "driver:     test", "sandboxes:  ");
        assertThat(r.out()).containsPattern("sandboxes:  \\d+ \\(.*\\d+ Ready.*\\)");
        assertThat(json.out()).contains("\"gateway\" : \"alpha\"", "\"sandboxes_by_phase\"", "\"Ready\"");
    }

    @Test
    void statusOfAStoppedGatewayIsOneLineWithinFiveSeconds() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path bundle = alpha.dataDir().resolve("tls/client");
        cli.run(
                "gateway",
                "add",
                "https://127.0.0.1:" + port,
                "--name",
                "down",
                "--no-verify",
                "--ca",
                bundle.resolve("ca.crt").toString(),
                "--cert",
                bundle.resolve("tls.crt").toString(),
                "--key",
                bundle.resolve("tls.key").toString());

        long t0 = System.nanoTime();
        Result r = cli.run("status", "-g", "down");

        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.exitCode()).isEqualTo(69);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err()).startsWith("error: gateway down is not reachable: ");
    }
}
