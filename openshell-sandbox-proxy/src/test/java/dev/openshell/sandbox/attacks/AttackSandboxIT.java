package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The attack fixture itself: what a policy allows reaches the fake internet, what it does not is a 403. */
@SandboxHost
class AttackSandboxIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy() + """
                network_policies:
                  api:
                    endpoints:
                      - {host: ro.test, port: HTTPS_PORT, protocol: rest, access: read-only, allowed_ips: [10.95.0.0/24]}
                    binaries: [{path: /usr/bin/curl}]
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
    }

    @Test
    void anAllowedRequestReachesTheFakeInternetAndADeniedOneIsA403() throws Exception {
        AgentShell.Result get = attack.sh("curl -sS " + attack.https("ro.test", "/ok"));
        AgentShell.Result post = attack.sh("curl -sS -X POST -d x " + attack.https("ro.test", "/no"));

        assertThat(get.output()).isEqualTo("GET /ok body=0\n");
        assertThat(post.output()).contains("\"error\":\"policy_denied\"");
        assertThat(attack.requests()).containsExactly("GET /ok body=0");
    }
}
