package dev.openshell.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.gateway.support.TempDirs;
import dev.openshell.sandbox.net.FakeInternet;
import dev.openshell.sandbox.proxy.TestUpstream;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code examples/ci/sandbox-job.sh}, the CI job of {@code docs/ci.md}, as a CI runner runs it:
 * only curl, jq and an API token against a real gateway with the local driver. The job's command
 * gets an allowed and a denied request; the job exits with the command's status, prints its output
 * and the denial, saves the decision log and leaves no sandbox behind.
 */
@RequiresRoot
@RequiresTool({"ip", "nft", "curl", "jq", "python3"})
class CiJobExampleIT {

    private static final Path SCRIPT = Path.of("../examples/ci/sandbox-job.sh");

    private FakeInternet internet;
    private TestUpstream upstream;
    private String upstreamIp;
    private Path data;
    private GatewayProcess gateway;

    @BeforeEach
    void setUp() {
        internet = FakeInternet.open();
        upstreamIp = internet.upstreamAddress();
        upstream = internet.inside(() -> new TestUpstream(upstreamIp, null));
        data = TempDirs.create("osh-ci-job-it");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        SandboxHostControl.shutdown(data.resolve("local"));
        if (upstream != null) {
            upstream.close();
        }
        if (internet != null) {
            internet.close();
        }
        TempDirs.delete(data);
    }

    @Test
    void theJobRunsItsCommandAndReportsExitStatusOutputAndDenials() throws Exception {
        gateway = GatewayProcess.start(data);
        String token;
        try (GatewayClient gw = gateway.operator()) {
            token = gw.tokens()
                    .create(
                            new ApiTokenCreateRequest(
                                    "ci",
                                    List.of(
                                            Scope.parse("sandbox:write"),
                                            Scope.parse("sandbox:exec"),
                                            Scope.parse("decision:read")),
                                    Duration.ofHours(1)),
                            RequestOptions.NONE)
                    .secret();
        }
        Path policy = data.resolve("policy.yaml");
        Files.writeString(
                policy,
                "version: 1\nnetwork_policies:\n  upstream:\n    endpoints:\n      - host: "
                        + upstreamIp + "\n        port: " + upstream.port()
                        + "\n    binaries:\n      - path: /usr/bin/curl\n");
        String url = "http://" + upstreamIp + ":" + upstream.port() + "/";
        String command = "curl -sS -o /dev/null -w 'curl: %{http_code}\\n' " + url
                + "; python3 -c 'import urllib.request; urllib.request.urlopen(\"" + url + "\")' 2>/dev/null"
                + " || echo 'python3: refused' >&2; exit 3";

        Job job = runJob(token, policy, "sh", "-c", command);

        assertThat(job.exitCode()).as(job.toString()).isEqualTo(3);
        assertThat(job.out()).isEqualTo("curl: 200\n");
        assertThat(job.err()).contains("python3: refused", "is Ready", "exit status 3", "denied: /usr/bin/python3");
        JsonNode decisions =
                new ObjectMapper().readTree(data.resolve("decisions.json").toFile());
        List<String> verdicts = new ArrayList<>();
        decisions.forEach(d -> verdicts.add(
                d.path("binary").asString() + " " + d.path("verdict").asString()));
        assertThat(verdicts).contains("/usr/bin/curl allow");
        // python3 is a link to python3.X: the proxy names the executable that really runs.
        assertThat(verdicts).anyMatch(v -> v.matches("/usr/bin/python3[.0-9]* deny"));
        try (GatewayClient gw = gateway.operator()) {
            assertThat(gw.sandboxes()
                            .list(dev.openshell.api.validation.LabelSelector.all())
                            .toList())
                    .as("the job deletes its sandbox")
                    .isEmpty();
        }
    }

    @Test
    void aBadTokenFailsTheJobWithTheGatewaysReason() throws Exception {
        gateway = GatewayProcess.start(data);
        Path policy = data.resolve("policy.yaml");
        Files.writeString(policy, "version: 1\n");

        Job job = runJob("osh_not-a-token", policy, "true");

        assertThat(job.exitCode()).as(job.toString()).isNotZero();
        assertThat(job.err()).contains("HTTP 401");
    }

    record Job(int exitCode, String out, String err) {}

    private Job runJob(String token, Path policy, String... command) throws Exception {
        List<String> args =
                new ArrayList<>(List.of(SCRIPT.toAbsolutePath().normalize().toString(), policy.toString(), "--"));
        args.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(args).directory(data.toFile());
        pb.environment().put("OPENSHELL_URL", gateway.url());
        pb.environment().put("OPENSHELL_TOKEN", token);
        pb.environment().put("OPENSHELL_CA", data.resolve("tls/client/ca.crt").toString());
        Path out = data.resolve("job.out");
        Path err = data.resolve("job.err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the job did not finish in 180 s: " + Files.readString(err));
        }
        return new Job(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err));
    }
}
