package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A policy that says nothing about the filesystem (only {@code network_policies}) gets the usable
 * baseline: the agent can run {@code sh} and the system's programs, write its work directory and
 * {@code /tmp}, and nothing else, exactly as under the default policy.
 */
@SandboxHost
class PolicyBaselineIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws IOException {
        attack = AttackSandbox.start("""
                version: 1
                network_policies:
                  api:
                    endpoints:
                      - {host: ro.test, port: HTTPS_PORT, protocol: rest, access: read-only, allowed_ips: [10.95.0.0/24]}
                    binaries: [{path: /usr/bin/curl}]
                """);
    }

    @AfterAll
    static void stop() throws IOException {
        if (attack != null) {
            attack.close();
        }
    }

    @Test
    void theAgentRunsTheSystemsProgramsAndReachesWhatThePolicyAllows() throws Exception {
        AgentShell.Result result =
                attack.sh("sh -c 'echo shell'; python3 -c 'print(\"python\")'; head -c 6 /etc/os-release;"
                        + " echo; curl -sS " + attack.https("ro.test", "/baseline"));

        assertThat(result.output()).isEqualTo("shell\npython\nPRETTY\nGET /baseline body=0\n");
    }

    @Test
    void theWorkdirAndTmpAreWritableAndTheSystemIsNot() throws Exception {
        AgentShell.Result result =
                attack.sh("echo w > in-workdir && echo t > /tmp/in-tmp && cat in-workdir /tmp/in-tmp;"
                        + " (echo x > /etc/osh-baseline) 2>&1; (echo x > /usr/osh-baseline) 2>&1; true");

        assertThat(result.output()).startsWith("w\nt\n");
        assertThat(result.output().lines().skip(2)).allMatch(l -> l.contains("Permission denied"));
        assertThat(java.nio.file.Path.of("/etc/osh-baseline")).doesNotExist();
    }
}
