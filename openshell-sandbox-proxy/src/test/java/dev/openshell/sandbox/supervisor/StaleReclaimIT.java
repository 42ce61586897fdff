package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.SandboxMain;
import dev.openshell.sandbox.cgroup.CgroupHierarchy;
import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.users.UidAllocator;
import dev.openshell.sandbox.users.UidClaim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a supervisor JVM leaves its agent, network and state behind; the next start
 * (here: {@link StaleSandboxes#reclaim}, which every start runs first) removes all of it.
 */
@SandboxHost
class StaleReclaimIT {

    @Test
    void killNineOfTheSupervisorThenTheNextStartReclaims() throws Exception {
        String id = SandboxSpec.randomId();
        Path stateDir = SandboxSpec.SANDBOXES_ROOT.resolve(id);
        Path specFile = Files.createTempFile("openshell-stale-", ".json");
        Files.writeString(
                specFile,
                "{\"id\": \"" + id + "\", \"command\": [\"sh\", \"-c\", \"sleep 300 & sleep 300\"], \"ssh\": false}");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process supervisor = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SandboxMain.class.getName(),
                        "run",
                        "--spec",
                        specFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            SandboxStatus ready = awaitReady(stateDir);
            assertThat(ready.supervisorPid()).isEqualTo(supervisor.pid());

            supervisor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            // The launcher's relay sees its parent die and kills the sandbox's init: no agent runs
            // on without a supervisor. What is not a process stays until a reclaim.
            await("the agent gone with its supervisor")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> SandboxFixture.gone(ready.agentPid()));
            assertThat(SandboxFixture.run(List.of("ip", "netns", "list"))).contains("osh-" + id);
            assertThat(uidClaimsOf(id)).hasSize(1);
            assertThat(CgroupHierarchy.detect().sandboxIds()).contains(id);

            List<String> reclaimed =
                    StaleSandboxes.reclaim(SandboxSpec.SANDBOXES_ROOT, SandboxNetwork.DEFAULT_STATE_DIR);

            assertThat(reclaimed).contains(id);
            assertThat(NamespaceProcesses.pids(ready.netnsInode())).isEmpty();
            SandboxFixture.awaitGone(ready.agentPid());
            assertThat(SandboxFixture.run(List.of("ip", "netns", "list"))).doesNotContain("osh-" + id);
            assertThat(SandboxFixture.run(List.of("nft", "list", "tables"))).doesNotContain("osh_" + id);
            assertThat(stateDir).doesNotExist();
            assertThat(uidClaimsOf(id)).isEmpty();
            assertThat(CgroupHierarchy.detect().sandboxIds()).doesNotContain(id);
        } finally {
            supervisor.destroyForcibly();
            Files.deleteIfExists(specFile);
        }
    }

    private static List<UidClaim> uidClaimsOf(String id) {
        return new UidAllocator(UidAllocator.DEFAULT_STATE_DIR)
                .claims().stream().filter(claim -> claim.sandboxId().equals(id)).toList();
    }

    private static SandboxStatus awaitReady(Path stateDir) {
        return await("the supervisor Ready in " + stateDir)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> SandboxStatus.read(stateDir).filter(s -> s.phase() == SandboxPhase.READY),
                        Optional::isPresent)
                .orElseThrow();
    }
}
