package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The sandbox's DNS: names resolve through the supervisor's responder (with the proxy's resolver),
 * for the programs the policy lets reach them, so a program that ignores the proxy variables
 * (Node.js) connects directly, is captured transparently and policed like any other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SandboxHost
class SandboxDnsIT {

    private static final String UPSTREAM_IP = "10.96.0.1";
    private static final Path NODE = Path.of("/usr/bin/node");

    private static SandboxUpstream upstream;
    private static SandboxSupervisor sandbox;
    private static AgentShell shell;

    @BeforeAll
    static void start() throws IOException {
        upstream = new SandboxUpstream(UPSTREAM_IP, "api.test");
        SandboxSpec spec = SandboxFixture.keptSpec(policy("/usr/bin/curl", "/usr/bin/getent"), AgentShell.COMMAND)
                .withExtraUpstreamCa(upstream.caPem());
        sandbox = SandboxSupervisor.start(spec, SandboxFixture.options(Map.of("api.test", UPSTREAM_IP)));
        shell = new AgentShell(sandbox.workdir());
    }

    @AfterAll
    static void stop() throws IOException {
        if (sandbox != null) {
            sandbox.close();
            StaleSandboxes.deleteRecursively(sandbox.stateDir());
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    private static String policy(String... binaries) {
        return SandboxFixture.systemPolicy()
                + """
                network_policies:
                  api:
                    endpoints:
                      - {host: api.test, port: %d, protocol: rest, access: read-only, allowed_ips: [10.96.0.0/24]}
                    binaries: [%s]
                """.formatted(
                                upstream.port(),
                                String.join(
                                        ", ",
                                        java.util.Arrays.stream(binaries)
                                                .map(b -> "{path: " + b + "}")
                                                .toList()));
    }

    private static String nodeGet(String path) {
        return NODE + " -e \"require('https').get('https://api.test:" + upstream.port() + path
                + "', r => { let b = ''; r.on('data', d => b += d); r.on('end', () => console.log(r.statusCode + ' ' + b.trim())); })"
                + ".on('error', e => { console.log('error ' + e.code); process.exitCode = 3; })\"";
    }

    @Test
    @Order(1)
    void namesResolveThroughTheSandboxResponder() throws Exception {
        AgentShell.Result conf = shell.run("cat /etc/resolv.conf");
        AgentShell.Result known = shell.run("getent hosts api.test");
        AgentShell.Result unknown = shell.run("getent hosts nope.test; echo rc=$?");
        // a program the policy does not let reach the name does not get it resolved either
        AgentShell.Result unlisted =
                shell.run("python3 -c \"import socket; print(socket.gethostbyname('api.test'))\" 2>&1; echo rc=$?");

        assertThat(conf.output()).contains("nameserver 10.200.");
        assertThat(known.exitCode()).as(known.output()).isZero();
        assertThat(known.output()).startsWith(UPSTREAM_IP).contains("api.test");
        assertThat(unknown.output()).contains("rc=2");
        assertThat(unlisted.output()).doesNotContain(UPSTREAM_IP).contains("rc=1");
    }

    @Test
    @RequiresTool("/usr/bin/node")
    @Order(2)
    void unmodifiedNodeIsDeniedUnlessThePolicyAllowsIt() throws Exception {
        AgentShell.Result denied = shell.run(nodeGet("/denied"));
        assertThat(denied.output()).as("exit " + denied.exitCode()).startsWith("error ");
        assertThat(upstream.requests()).noneMatch(r -> r.contains("/denied"));

        ReloadOutcome outcome = sandbox.reload(policy(NODE.toString()).getBytes(StandardCharsets.UTF_8), "test");
        assertThat(outcome.loaded()).as(outcome.error()).isTrue();

        AgentShell.Result allowed = shell.run(nodeGet("/node"));
        assertThat(allowed.output()).as("exit " + allowed.exitCode()).isEqualTo("200 GET /node body=0\n");
        assertThat(SandboxFixture.log(sandbox)).doesNotContain("bypass:name_mismatch");
    }
}
