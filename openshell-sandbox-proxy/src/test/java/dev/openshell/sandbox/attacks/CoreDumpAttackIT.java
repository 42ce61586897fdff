package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent tries to dump core (a core file holds whatever the crashing process held, and on hosts
 * whose {@code core_pattern} is a pipe it starts a helper as root): the core size limit is 0, soft
 * and hard, whatever the operator's shell had, so it cannot be raised, and a crash leaves no file.
 */
@SandboxHost
class CoreDumpAttackIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws IOException {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy());
    }

    @AfterAll
    static void stop() throws IOException {
        if (attack != null) {
            attack.close();
        }
    }

    @Test
    void theCoreLimitIsZeroSoftAndHard() throws Exception {
        AgentShell.Result agent = attack.sh("ulimit -c; ulimit -H -c");
        AgentShell.Result ssh = attack.ssh("ulimit -c; ulimit -H -c");

        assertThat(agent.output()).isEqualTo("0\n0\n");
        assertThat(ssh.output()).isEqualTo("0\n0\n");
    }

    @Test
    void theLimitCannotBeRaised() throws Exception {
        AgentShell.Result shell = attack.sh("ulimit -c unlimited && echo raised");
        AgentShell.Result python = attack.sh("python3 -c 'import resource\n"
                + "try:\n"
                + "    resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
                + "    print(\"raised\")\n"
                + "except (ValueError, OSError) as e:\n"
                + "    print(\"refused\")\n"
                + "'");

        assertThat(shell.output()).doesNotContain("raised");
        assertThat(python.output()).isEqualTo("refused\n");
    }

    @Test
    void aCrashLeavesNoCoreFile() throws Exception {
        AgentShell.Result crash = attack.sh("mkdir -p crash && cd crash && sh -c 'ulimit -c unlimited 2>/dev/null;"
                + " kill -SEGV $$'; (cd /tmp && sh -c 'ulimit -c unlimited 2>/dev/null; kill -ABRT $$');"
                + " ls -A . /tmp | grep -c core; true");

        // the shells report the signals; no file is named core
        assertThat(crash.output().lines().toList()).last().isEqualTo("0");
    }
}
