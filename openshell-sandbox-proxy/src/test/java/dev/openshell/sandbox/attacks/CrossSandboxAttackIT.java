package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two sandboxes side by side, both with the widest valid filesystem policy ({@code read_only:
 * [/]}): the agent of one ({@code attacker}) goes after the other's ({@code victim}) workdir, state
 * directory, supervisor state and processes, by path, through {@code /proc} and with signals.
 * Nothing of the victim may be readable, writable or signalable, whatever the policy lists.
 */
@SandboxHost
class CrossSandboxAttackIT {

    private static final String SEE_EVERYTHING_POLICY = """
            version: 1
            filesystem_policy:
              include_workdir: true
              read_only: [/]
              read_write: [/tmp]
            landlock: {compatibility: best_effort}
            """;

    private static AttackSandbox attacker;
    private static AttackSandbox.Neighbour victim;
    private static Path victimWorkdir;
    private static Path victimState;

    @BeforeAll
    static void start() throws Exception {
        attacker = AttackSandbox.start(SEE_EVERYTHING_POLICY);
        victim = attacker.startNeighbour(SEE_EVERYTHING_POLICY);
        victimWorkdir = victim.supervisor().workdir();
        victimState = victim.supervisor().stateDir();
        AgentShell.Result planted = victim.sh("echo victim-s3cret > secret && echo tmp-s3cret > /tmp/secret");
        assertThat(planted.exitCode()).as(planted.output()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (attacker != null) {
            attacker.close();
        }
    }

    @Test
    void eachSandboxRunsAsAUidOfItsOwn() throws Exception {
        String attackerUid = attacker.sh("id -u").output().strip();
        String victimUid = victim.sh("id -u").output().strip();
        String attackerGid = attacker.sh("id -g").output().strip();
        String victimGid = victim.sh("id -g").output().strip();

        assertThat(attackerUid).matches("[1-9][0-9]*").isNotEqualTo(victimUid);
        assertThat(attackerGid).matches("[1-9][0-9]*").isNotEqualTo(victimGid);
        assertThat(Long.parseLong(attackerUid)).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void theVictimsWorkdirCannotBeListedReadOrWritten() throws Exception {
        AgentShell.Result list = attacker.sh("ls -a " + victimWorkdir);
        AgentShell.Result read = attacker.sh("cat " + victimWorkdir.resolve("secret"));
        AgentShell.Result write = attacker.sh("echo pwned > " + victimWorkdir.resolve("pwned"));
        AgentShell.Result plant = attacker.sh("mkdir " + victimWorkdir.resolve("q/planted"));

        assertThat(list.exitCode()).isNotZero();
        assertThat(list.output()).doesNotContain("secret");
        assertThat(read.exitCode()).isNotZero();
        assertThat(read.output()).doesNotContain("victim-s3cret");
        assertThat(write.exitCode()).isNotZero();
        assertThat(plant.exitCode()).isNotZero();
        assertThat(victimWorkdir.resolve("pwned")).doesNotExist();
        assertThat(victimWorkdir.resolve("q/planted")).doesNotExist();
    }

    @Test
    void theVictimsStateDirectoryCannotBeListedOrRead() throws Exception {
        AgentShell.Result list = attacker.sh("ls -a " + victimState);

        assertThat(list.exitCode()).isNotZero();
        assertThat(list.output()).doesNotContain("status.json", "sandbox.log", "tls");
        for (String file : new String[] {"status.json", "sandbox.log", "decisions.log", "resolv.conf", "work/q"}) {
            AgentShell.Result read = attacker.sh("cat " + victimState.resolve(file));

            assertThat(read.exitCode())
                    .as("reading " + victimState.resolve(file))
                    .isNotZero();
            assertThat(read.output()).doesNotContain("victim-s3cret", "\"phase\"", "\"stream\"", "nameserver");
        }
    }

    @Test
    void supervisorStateIsNotListable() throws Exception {
        // The agent's /run is the sandbox's own: /run/openshell there holds its trust bundle and
        // the way to its own private workdir, nothing of the host's /run/openshell.
        AgentShell.Result run = attacker.sh("ls /run/openshell");
        AgentShell.Result all = attacker.sh("find /run");
        AgentShell.Result sandboxes = attacker.sh("ls /run/openshell/sandboxes");
        AgentShell.Result claims = attacker.sh("ls /run/openshell/net /run/openshell/uids");
        Path ownState = attacker.supervisor().stateDir();

        assertThat(run.output().lines())
                .as(run.output())
                .allMatch(name -> name.equals("tls") || ownState.startsWith(Path.of("/run/openshell", name)));
        assertThat(sandboxes.exitCode()).as(sandboxes.output()).isNotZero();
        assertThat(claims.exitCode()).as(claims.output()).isNotZero();
        assertThat(all.output() + sandboxes.output() + claims.output())
                .doesNotContain(".lock", victimState.getFileName().toString(), "/run/openshell/net/");
    }

    @Test
    void theVictimsProcessesCannotBeInspectedOrSignalled() throws Exception {
        long pid = victim.supervisor().agentPid();

        AgentShell.Result root = attacker.sh("cat /proc/" + pid + "/root/tmp/secret");
        AgentShell.Result cwd = attacker.sh("cat /proc/" + pid + "/cwd/secret");
        AgentShell.Result environ = attacker.sh("cat /proc/" + pid + "/environ");
        AgentShell.Result signal = attacker.sh("kill -STOP " + pid);

        assertThat(root.output()).doesNotContain("tmp-s3cret");
        assertThat(cwd.output()).doesNotContain("victim-s3cret");
        assertThat(environ.output()).doesNotContain("HTTPS_PROXY");
        assertThat(signal.exitCode()).isNotZero();
        assertThat(Files.readString(Path.of("/proc/" + pid + "/stat"))).doesNotContain(") T ");
        assertThat(victim.sh("echo alive").output()).isEqualTo("alive\n");
    }
}
