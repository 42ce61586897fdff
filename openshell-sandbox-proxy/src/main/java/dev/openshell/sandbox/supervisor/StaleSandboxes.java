package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.cgroup.CgroupHierarchy;
import dev.openshell.sandbox.cgroup.SandboxCgroup;
import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.net.SubnetAllocator;
import dev.openshell.sandbox.net.SubnetClaim;
import dev.openshell.sandbox.users.UidAllocator;
import dev.openshell.sandbox.users.UidClaim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reclaims what dead supervisors left behind ({@code kill -9}, a crash, a power cut of the JVM
 * only): their agents' processes, their networks (namespace, veth, nft table, subnet claim), their
 * cgroups, their uid claims and their state directories under the sandboxes root. Every start runs it first; {@code
 * openshell-sandbox cleanup} runs it on demand.
 */
public final class StaleSandboxes {

    private static final Path NETNS_DIR = Path.of("/var/run/netns");

    private StaleSandboxes() {}

    /**
     * Reclaims every sandbox whose supervisor is gone.
     *
     * @param sandboxesRoot where default state directories live (those of dead supervisors are
     *     removed unless they were to be kept)
     * @param netStateDir the subnet claims' directory
     * @return the ids reclaimed
     */
    public static List<String> reclaim(Path sandboxesRoot, Path netStateDir) {
        List<String> reclaimed = new ArrayList<>();
        // Processes first, while the namespace files still lead to them.
        for (SubnetClaim claim : claims(netStateDir)) {
            if (!claim.ownerAlive()) {
                killIn(NETNS_DIR.resolve("osh-" + claim.sandboxId()));
                reclaimed.add(claim.sandboxId());
            }
        }
        for (Path dir : stateDirs(sandboxesRoot)) {
            SandboxStatus.read(dir).filter(status -> !status.supervisorAlive()).ifPresent(status -> {
                NamespaceProcesses.killAll(status.netnsInode(), Duration.ZERO);
                killIn(NETNS_DIR.resolve("osh-" + status.id()));
                if (status.keepState()) {
                    deleteQuietly(dir.resolve(ControlSocket.FILE));
                    deleteRecursively(dir.resolve(SandboxSupervisor.TRUST_DIR));
                    deleteRecursively(dir.resolve(SandboxSupervisor.SSH_DIR));
                    deleteRecursively(dir.resolve(SandboxSupervisor.WORK_DIR));
                    if (!status.phase().isFinal()) {
                        status.withPhase(SandboxPhase.ERROR, "supervisor died; reclaimed")
                                .write(dir);
                    }
                    StateDirectories.lockDownQuietly(dir);
                } else {
                    deleteRecursively(dir);
                }
                if (!reclaimed.contains(status.id())) {
                    reclaimed.add(status.id());
                }
            });
        }
        SandboxNetwork.reclaimStale(netStateDir);
        reclaimCgroups(reclaimed, false);
        // Last: the processes that ran as these ids are gone now.
        releaseStaleUids(reclaimed);
        return reclaimed;
    }

    /**
     * One line saying what {@link #reclaim} removed: {@code reclaimed 2 stale sandboxes left by a
     * killed supervisor: sb-1, sb-2 (processes, network, cgroups, uids, state)}.
     */
    public static String describe(List<String> reclaimed) {
        return "reclaimed " + reclaimed.size() + " stale sandbox" + (reclaimed.size() == 1 ? "" : "es")
                + " left by a killed supervisor: " + String.join(", ", reclaimed)
                + " (processes, network, cgroup, uid and state directory)";
    }

    /**
     * Ends and removes the cgroups of sandboxes without a live uid claim (a supervisor claims its
     * uid before it makes the cgroup and releases it only after removing it), or every one.
     */
    private static void reclaimCgroups(List<String> reclaimed, boolean all) {
        CgroupHierarchy hierarchy;
        try {
            hierarchy = CgroupHierarchy.detect();
        } catch (RuntimeException e) {
            return; // no cgroups here: no sandbox could have made one
        }
        // The groups first, the claims second: a group listed here was made after its uid claim, so
        // that claim is in the list read next. The other order would take a sandbox starting in
        // between (claim, then group) for a dead one and remove its cgroup under it.
        List<String> groups = hierarchy.sandboxIds();
        Set<String> live = new HashSet<>();
        if (!all) {
            uidClaims(new UidAllocator(UidAllocator.DEFAULT_STATE_DIR)).stream()
                    .filter(UidClaim::ownerAlive)
                    .forEach(claim -> live.add(claim.sandboxId()));
        }
        for (String id : groups) {
            if (live.contains(id)) {
                continue;
            }
            SandboxCgroup cgroup = hierarchy.existing(id);
            try {
                cgroup.terminate(Duration.ZERO);
                cgroup.remove();
            } catch (RuntimeException e) {
                // reported by the next reclaim, which tries again
            }
            if (!reclaimed.contains(id)) {
                reclaimed.add(id);
            }
        }
    }

    private static void releaseStaleUids(List<String> reclaimed) {
        UidAllocator uids = new UidAllocator(UidAllocator.DEFAULT_STATE_DIR);
        for (UidClaim claim : uidClaims(uids)) {
            if (!claim.ownerAlive()) {
                uids.release(claim);
                if (!reclaimed.contains(claim.sandboxId())) {
                    reclaimed.add(claim.sandboxId());
                }
            }
        }
    }

    private static List<UidClaim> uidClaims(UidAllocator uids) {
        try {
            return uids.claims();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Removes every sandbox, live or not: all processes in {@code osh-*} namespaces, all networks,
     * all state directories under the root. For tests and a host that must be wiped.
     */
    public static void removeAll(Path sandboxesRoot, Path netStateDir) {
        try (DirectoryStream<Path> names =
                Files.isDirectory(NETNS_DIR) ? Files.newDirectoryStream(NETNS_DIR, "osh-*") : null) {
            if (names != null) {
                names.forEach(StaleSandboxes::killIn);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path dir : stateDirs(sandboxesRoot)) {
            SandboxStatus.read(dir).ifPresent(s -> NamespaceProcesses.killAll(s.netnsInode(), Duration.ZERO));
            deleteRecursively(dir);
        }
        SandboxNetwork.cleanupAll(netStateDir);
        reclaimCgroups(new ArrayList<>(), true);
        UidAllocator uids = new UidAllocator(UidAllocator.DEFAULT_STATE_DIR);
        uidClaims(uids).forEach(uids::release);
    }

    private static void killIn(Path namespaceFile) {
        if (Files.exists(namespaceFile)) {
            NamespaceProcesses.killAll(NamespaceProcesses.inode(namespaceFile), Duration.ZERO);
        }
    }

    private static List<SubnetClaim> claims(Path netStateDir) {
        if (!Files.isDirectory(netStateDir)) {
            return List.of();
        }
        try {
            return new SubnetAllocator(netStateDir).claims();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static List<Path> stateDirs(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                deleteQuietly(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a concurrent cleanup got there first
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: reported by the leak checks, not here
        }
    }
}
