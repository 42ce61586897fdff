package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.cgroup.CgroupHierarchy;
import dev.openshell.sandbox.cgroup.ResourceLimits;
import dev.openshell.sandbox.ssh.SandboxSshClient;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.NamespaceProcesses;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import dev.openshell.sandbox.supervisor.SandboxPhase;
import dev.openshell.sandbox.supervisor.SandboxStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One agent trying to run the host out of processes, memory or {@code /tmp}, with small limits so
 * the test stays bounded. The sandbox must end (or the write fail) with the limit named in
 * status.json and the sandbox log, the host must stay fine (this JVM can still fork, memory is
 * still available), and nothing of the sandbox may be left: processes, cgroup, uid.
 */
@SandboxHost
class ResourceExhaustionAttackIT {

    private static final long MIB = 1L << 20;

    /** The system policy with /var listed and /var/tmp writable: the agent's root then has a /var/tmp of its own. */
    private static final String VAR_TMP_POLICY = """
            version: 1
            filesystem_policy:
              include_workdir: true
              read_only: [/usr, /lib, /lib64, /bin, /sbin, /etc, /var]
              read_write: [/tmp, /var/tmp]
            landlock: {compatibility: best_effort}
            """;

    private AttackSandbox attack;

    @AfterEach
    void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
    }

    private void start(ResourceLimits limits) throws IOException {
        start(limits, SandboxFixture.systemPolicy());
    }

    private void start(ResourceLimits limits, String policy) throws IOException {
        attack = AttackSandbox.start(policy, spec -> spec.withResources(limits));
    }

    @Test
    void aForkBombEndsTheSandboxAtItsProcessLimit() throws Exception {
        start(ResourceLimits.DEFAULT.withPids(64).withMemory(256 * MIB));
        String uid = attack.sh("id -u").output().strip();

        attack.send("bomb() { bomb | bomb & }; bomb; sleep 600");
        SandboxStatus end = awaitEnd();

        assertThat(end.exitReason()).contains("process limit of 64 reached");
        assertThat(end.reason()).contains("process limit of 64 reached");
        assertThat(attack.log()).contains("limit: process limit of 64 reached");
        assertHostFineAndNothingLeft(end, uid);
    }

    @Test
    void aMemoryHogIsKilledInsideTheSandboxAndEndsIt() throws Exception {
        start(ResourceLimits.DEFAULT.withMemory(64 * MIB));
        String uid = attack.sh("id -u").output().strip();

        attack.send("python3 -c 'hog = b\"x\" * (1 << 30)'; sleep 600");
        SandboxStatus end = awaitEnd();

        assertThat(end.exitReason()).contains("memory limit of 64 MiB reached", "out-of-memory kill");
        assertThat(attack.log()).contains("limit: memory limit of 64 MiB reached");
        assertHostFineAndNothingLeft(end, uid);
    }

    @Test
    void tmpAndDevShmFillUpAtTheirSizeAndTheSandboxLivesOn() throws Exception {
        start(ResourceLimits.DEFAULT.withMemory(128 * MIB).withTmp(16 * MIB), VAR_TMP_POLICY);

        AgentShell.Result tmp = attack.sh("dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>&1; df -k /tmp | tail -1");
        AgentShell.Result shm = attack.sh("dd if=/dev/zero of=/dev/shm/fill bs=1M count=64 2>&1");
        AgentShell.Result varTmp = attack.sh("dd if=/dev/zero of=/var/tmp/fill bs=1M count=64 2>&1");
        AgentShell.Result alive = attack.sh("rm /tmp/fill /dev/shm/fill /var/tmp/fill && echo alive");

        assertThat(tmp.output()).contains("No space left on device").containsPattern("\\s16384\\s");
        assertThat(shm.output()).contains("No space left on device");
        assertThat(varTmp.output()).contains("No space left on device");
        assertThat(alive.output()).isEqualTo("alive\n");
        assertThat(attack.supervisor().status().phase()).isEqualTo(SandboxPhase.READY);
    }

    @Test
    void whatTmpHoldsCountsAgainstTheMemoryLimit() throws Exception {
        start(ResourceLimits.DEFAULT.withMemory(64 * MIB).withTmp(64 * MIB));
        String uid = attack.sh("id -u").output().strip();

        // 56 MiB in /tmp fit its size, but leave the processes 8 MiB: the next allocation is an OOM kill.
        attack.send("dd if=/dev/zero of=/tmp/fill bs=1M count=56; python3 -c 'hog = b\"x\" * (64 << 20)'; sleep 600");
        SandboxStatus end = awaitEnd();

        assertThat(end.exitReason()).contains("memory limit of 64 MiB reached");
        assertHostFineAndNothingLeft(end, uid);
    }

    @Test
    void sshSessionsRunInsideTheSandboxsCgroupAsItsUid() throws Exception {
        start(ResourceLimits.DEFAULT.withPids(32));
        String agent =
                attack.sh("id -u; grep -E 'pids|memory|^0::' /proc/self/cgroup").output();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SandboxSshClient client =
                SandboxSshClient.connect(attack.supervisor().sshEndpoint().orElseThrow())) {
            int code = client.execShell(
                    "id -u; grep -E 'pids|memory|^0::' /proc/self/cgroup",
                    InputStream.nullInputStream(),
                    out,
                    new ByteArrayOutputStream());
            assertThat(code).isZero();
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(agent).contains("/openshell/");
    }

    private SandboxStatus awaitEnd() {
        SandboxStatus end = attack.supervisor()
                .awaitEnd(Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("the sandbox did not end at its limit"));
        assertThat(end.phase()).isEqualTo(SandboxPhase.STOPPED);
        return end;
    }

    private void assertHostFineAndNothingLeft(SandboxStatus end, String uid) throws Exception {
        Process fork = new ProcessBuilder("true").start();
        assertThat(fork.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fork.exitValue()).isZero();
        assertThat(memAvailable()).isGreaterThan(1L << 30);
        assertThat(NamespaceProcesses.pids(end.netnsInode())).isEmpty();
        assertThat(processesOf(Integer.parseInt(uid))).isEmpty();
        assertThat(CgroupHierarchy.detect().sandboxIds()).doesNotContain(end.id());
    }

    private static long memAvailable() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemAvailable:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no MemAvailable in /proc/meminfo");
    }

    private static List<Long> processesOf(int uid) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    String stat = Files.readString(entry.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    if ((Integer) Files.getAttribute(entry, "unix:uid") == uid && !zombie) {
                        pids.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return pids;
    }
}
