package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of reads across recent owners, over a fixture proc tree (read by path): pid 10 and pid
 * 20 each hold sockets on descriptors 3..8; pid 10 is the more recent owner.
 */
class OwnerSearchTest {

    @TempDir
    Path proc;

    private final RecentOwners owners = new RecentOwners();
    private ProcPaths processes;
    private int port = 40_000;

    @BeforeEach
    void fixture() throws IOException {
        processes = new ProcPaths(new ProcFs(proc));
        for (int pid : new int[] {20, 10}) {
            Files.createDirectories(proc.resolve(pid + "/fd"));
            Files.writeString(
                    proc.resolve(pid + "/stat"),
                    pid + " (client) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 " + start(pid) + " 0\n");
            for (int fd = 3; fd <= 8; fd++) {
                hold(pid, fd, socket(pid, fd));
                owners.attributed(client(), pid, start(pid), fd, socket(pid, fd));
            }
        }
    }

    private static long start(int pid) {
        return 1000 + pid;
    }

    private static long socket(int pid, int fd) {
        return pid * 100L + fd;
    }

    private InetSocketAddress client() {
        return new InetSocketAddress("127.0.0.1", port++);
    }

    private void hold(int pid, int fd, long inode) throws IOException {
        Path link = proc.resolve(pid + "/fd/" + fd);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(ProcFs.socketLink(inode)));
    }

    /** Searches; returns {pid, fd, probes} (pid -1 when not found). */
    private long[] search(long inode) {
        Lookup lookup = processes.begin();
        try (OwnerSearch s = new OwnerSearch(processes, owners, lookup, inode, 48)) {
            OwnerSearch.Hit hit = s.find();
            return new long[] {hit == null ? -1 : hit.plan().pid(), hit == null ? -1 : hit.fd(), lookup.probes};
        }
    }

    @Test
    void aReleasedDescriptorOfTheOlderOwnerIsReadBeforeTheOpenOnesOfTheNewer() throws IOException {
        // pid 20 ended its connection on fd 5 and opened the next one there
        owners.released(new InetSocketAddress("127.0.0.1", 40_002));
        hold(20, 5, 9999);

        // round 1: released descriptors of every owner (pid 10 has none)
        assertThat(search(9999)).containsExactly(20, 5, 1);
    }

    @Test
    void openConnectionsAreReadOwnerAfterOwnerOldestFirst() throws IOException {
        // pid 20 reused fd 3 (its oldest connection) before the proxy saw that connection end
        hold(20, 3, 9999);

        // pid 10's fd 3, then pid 20's fd 3
        assertThat(search(9999)).containsExactly(20, 3, 2);
    }

    @Test
    void aSocketAReadRevealedIsFoundWithOneRead() throws IOException {
        hold(20, 3, 7777);
        hold(20, 7, 8888);
        assertThat(search(8888)[2]).isGreaterThan(1);
        // looking for 8888 read fd 3 of pid 20 and saw 7777 there
        assertThat(search(7777)).containsExactly(20, 3, 1);
    }

    @Test
    void aDescriptorNeverSeenIsFoundThroughTheListings() throws IOException {
        hold(20, 12, 4242);

        // the known descriptors of both, then pid 10's listing (nothing new), then pid 20's
        assertThat(search(4242)).containsExactly(20, 12, 6L + 6 + 1);
    }

    @Test
    void anOwnerThatIsGoneCostsOneReadAndIsForgotten() throws IOException {
        // pid 10 exited: its fd directory is gone, its stat too
        for (int fd = 3; fd <= 8; fd++) {
            Files.delete(proc.resolve("10/fd/" + fd));
        }
        Files.delete(proc.resolve("10/stat"));
        hold(20, 3, 5555);

        // pid 10's fd 3 (missing: a stat read shows the process gone), then pid 20's fd 3
        assertThat(search(5555)).containsExactly(20, 3, 2);
        assertThat(owners.plan(1)).extracting(RecentOwners.Plan::pid).containsExactly(20);
    }
}
