package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.spec.SandboxSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Ten sandboxes in one JVM at once, then a teardown that leaves nothing behind. */
@SandboxHost
class ManySandboxesIT {

    private static final int COUNT = 10;

    @Test
    void tenSandboxesRunAtOnceAndTeardownLeavesNothing() throws Exception {
        List<SandboxSupervisor> sandboxes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(COUNT)) {
            List<Future<SandboxSupervisor>> starting = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                // Default state dirs: removed with the sandbox.
                SandboxSpec spec = SandboxSpec.of(null, List.of("sh", "-c", "sleep 300 & sleep 300"))
                        .withPolicyYaml(SandboxFixture.systemPolicy());
                starting.add(pool.submit(() -> SandboxSupervisor.start(spec, SandboxFixture.options(Map.of()))));
            }
            for (Future<SandboxSupervisor> f : starting) {
                sandboxes.add(f.get());
            }
        } finally {
            if (sandboxes.size() < COUNT) {
                sandboxes.forEach(SandboxSupervisor::close);
            }
        }
        List<String> proxies = sandboxes.stream().map(s -> s.status().proxy()).toList();
        assertThat(proxies).doesNotHaveDuplicates().hasSize(COUNT);
        for (SandboxSupervisor s : sandboxes) {
            assertThat(s.status().phase())
                    .as(String.valueOf(s.status().reason()))
                    .isEqualTo(SandboxPhase.READY);
            // READY means the agent was launched; its shell may not have started both sleeps yet
            assertThat(awaitProcesses(s.status().netnsInode(), 3)).hasSizeGreaterThanOrEqualTo(3);
        }
        List<SandboxStatus> before =
                sandboxes.stream().map(SandboxSupervisor::status).toList();

        try (ExecutorService pool = Executors.newFixedThreadPool(COUNT)) {
            sandboxes.forEach(s -> pool.submit(s::close));
        }

        String netns = SandboxFixture.run(List.of("ip", "netns", "list"));
        String tables = SandboxFixture.run(List.of("nft", "list", "tables"));
        for (SandboxStatus s : before) {
            assertThat(netns).doesNotContain("osh-" + s.id());
            assertThat(tables).doesNotContain("osh_" + s.id());
            assertThat(NamespaceProcesses.pids(s.netnsInode())).isEmpty();
            SandboxFixture.awaitGone(s.agentPid());
            assertThat(SandboxSpec.SANDBOXES_ROOT.resolve(s.id())).doesNotExist();
            String hostSide = s.proxy().replace("http://", "").replaceAll(":.*", "");
            assertThat(SandboxFixture.run(List.of("ip", "-o", "addr"))).doesNotContain(hostSide + "/");
        }
        for (SandboxSupervisor s : sandboxes) {
            assertThat(s.status().phase()).isEqualTo(SandboxPhase.STOPPED);
            assertThat(s.status().exitReason()).isEqualTo("stopped by the supervisor");
        }
    }

    /** The namespace's processes once there are at least {@code count} (within 10 s). */
    private static List<Long> awaitProcesses(long netnsInode, int count) {
        return await("at least " + count + " processes in the namespace")
                .atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> NamespaceProcesses.pids(netnsInode), pids -> pids.size() >= count);
    }
}
