package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent looks for other processes: a host process with a secret in its command line and
 * environment, the supervisor JVM, pids it could signal. The sandbox has its own PID namespace:
 * its init is pid 1, the agent pid 2, and {@code /proc} shows nothing else. SSH sessions share
 * that namespace (and the agent's {@code /tmp}), and end with the sandbox.
 */
@SandboxHost
class ProcessVisibilityAttackIT {

    private static final String SECRET = "osh-secret-" + UUID.randomUUID();
    /** Matches {@link #SECRET} but not itself, so a grep does not find its own command line. */
    private static final String SECRET_PATTERN = "'" + SECRET.replaceFirst("t-", "[t]-") + "'";

    private static AttackSandbox attack;
    private static Process hostProcess;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy());
        ProcessBuilder builder =
                new ProcessBuilder("/usr/bin/python3", "-c", "import time; time.sleep(300)", "--token=" + SECRET);
        builder.environment().put("OSH_HOST_SECRET", SECRET);
        hostProcess = builder.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (hostProcess != null) {
            hostProcess.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (attack != null) {
            attack.close();
        }
    }

    @Test
    void hostCommandLinesAndEnvironmentsAreNotVisible() throws Exception {
        AgentShell.Result result = attack.sh(
                "cat /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null" + " | tr '\\0' '\\n' | grep -c -e "
                        + SECRET_PATTERN + " -e 'openshell-sandbo[x]' -e 'surefir[e]'; true");
        AgentShell.Result byPid = attack.sh(
                "cat /proc/" + hostProcess.pid() + "/cmdline; kill -0 " + hostProcess.pid() + " && echo signalled");

        assertThat(result.output().strip()).isEqualTo("0");
        assertThat(byPid.output()).doesNotContain(SECRET).doesNotContain("signalled");
    }

    @Test
    void theSandboxHasItsOwnPidNamespaceWithInitAsPidOneAndTheAgentAsPidTwo() throws Exception {
        AgentShell.Result result = attack.sh("cut -d' ' -f1,2 /proc/1/stat; tr '\\0' ' ' < /proc/2/cmdline; echo;"
                + " ls -d /proc/[0-9]* | wc -l; readlink /proc/self/ns/pid");
        String hostNamespace = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid"))
                .toString();

        var lines = result.output().lines().toList();
        assertThat(lines.get(0)).isEqualTo("1 (openshell-init)");
        assertThat(lines.get(1)).startsWith("sh -c mkdir -p q;");
        // init, the agent, the script's sh, the pipeline: a handful, never the host's hundreds
        assertThat(Integer.parseInt(lines.get(2).strip())).isLessThan(10);
        assertThat(lines.get(3)).isNotEqualTo(hostNamespace);
    }

    @Test
    void sshSessionsJoinTheSandboxProcessesAndTmp() throws Exception {
        attack.sh("echo from-the-agent > /tmp/shared-" + SECRET);

        AgentShell.Result ssh = attack.ssh("cat /tmp/shared-" + SECRET + "; tr '\\0' ' ' < /proc/2/cmdline; echo;"
                + " readlink /proc/self/ns/pid /proc/self/ns/mnt");
        AgentShell.Result agent = attack.sh("readlink /proc/self/ns/pid /proc/self/ns/mnt");
        AgentShell.Result hidden = attack.ssh(
                "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' '\\n' | grep -c " + SECRET_PATTERN + "; true");

        var lines = ssh.output().lines().toList();
        assertThat(lines.get(0)).as(ssh.output()).isEqualTo("from-the-agent");
        assertThat(lines.get(1)).startsWith("sh -c mkdir -p q;");
        assertThat(String.join("\n", lines.subList(2, 4)) + "\n").isEqualTo(agent.output());
        assertThat(hidden.output().strip()).isEqualTo("0");
    }
}
