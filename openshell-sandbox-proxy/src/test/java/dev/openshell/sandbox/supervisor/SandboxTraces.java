package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.cgroup.CgroupHierarchy;
import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.net.SubnetAllocator;
import dev.openshell.sandbox.net.SubnetClaim;
import dev.openshell.sandbox.users.UidAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a sandbox holds on this host, found by its id while it runs (its network namespace's inode,
 * its subnet, so its veth pair); {@link #assertNoneLeft} checks that none of it outlived the
 * sandbox: processes, namespace, nft table, veth, subnet and uid claims, cgroup, state directory.
 *
 * @param agentMarker an argument only this sandbox's agent has on its command line
 */
record SandboxTraces(String id, Path stateDir, long netnsInode, int subnetIndex, String agentMarker) {

    /** What {@code id} holds now (0 / -1 for what it does not hold yet). */
    static SandboxTraces of(String id, Path stateDir, String agentMarker) {
        long inode = SandboxStatus.read(stateDir).map(SandboxStatus::netnsInode).orElse(0L);
        int subnet = new SubnetAllocator(SandboxNetwork.DEFAULT_STATE_DIR)
                .claims().stream()
                        .filter(claim -> claim.sandboxId().equals(id))
                        .mapToInt(claim -> claim.subnet().index())
                        .findFirst()
                        .orElse(-1);
        return new SandboxTraces(id, stateDir, inode, subnet, agentMarker);
    }

    void assertNoneLeft() {
        assertThat(processesWithMarker()).as("agent processes").isEmpty();
        if (netnsInode != 0) {
            assertThat(NamespaceProcesses.pids(netnsInode))
                    .as("processes in the namespace")
                    .isEmpty();
        }
        assertThat(SandboxFixture.run(List.of("ip", "netns", "list"))).doesNotContain("osh-" + id);
        assertThat(SandboxFixture.run(List.of("nft", "list", "tables"))).doesNotContain("osh_" + id);
        if (subnetIndex >= 0) {
            assertThat(SandboxFixture.run(List.of("ip", "-o", "link", "show")))
                    .doesNotContain("osh" + subnetIndex + "h")
                    .doesNotContain("osh" + subnetIndex + "s");
        }
        List<SubnetClaim> subnets = new SubnetAllocator(SandboxNetwork.DEFAULT_STATE_DIR).claims();
        assertThat(subnets)
                .as("subnet claims")
                .noneMatch(claim -> claim.sandboxId().equals(id));
        assertThat(new UidAllocator(UidAllocator.DEFAULT_STATE_DIR).claims())
                .as("uid claims")
                .noneMatch(claim -> claim.sandboxId().equals(id));
        assertThat(CgroupHierarchy.detect().sandboxIds()).as("cgroups").doesNotContain(id);
        assertThat(stateDir).doesNotExist();
    }

    /** Pids whose command line holds {@link #agentMarker} (zombies count as gone). */
    private List<Long> processesWithMarker() {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(agentMarker)) {
                        found.add(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return found;
    }
}
