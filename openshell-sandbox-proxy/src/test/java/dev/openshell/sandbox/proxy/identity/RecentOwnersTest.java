package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which recent owners' descriptors are read (the socket inodes here are made up). */
class RecentOwnersTest {

    private static final int PID = 4000;
    private static final long START = 77;

    private final RecentOwners owners = new RecentOwners();

    private static InetSocketAddress client(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private int[] order(long inode) {
        return owners.plan(inode).getFirst().fds();
    }

    @Test
    void releasedDescriptorsComeFirstLowestFirstThenOpenOnesOldestFirst() {
        owners.attributed(client(1), PID, START, 7, 1007);
        owners.attributed(client(2), PID, START, 9, 1009);
        owners.attributed(client(3), PID, START, 8, 1008);
        owners.attributed(client(4), PID, START, 6, 1006);
        owners.released(client(2)); // fd 9
        owners.released(client(4)); // fd 6

        assertThat(order(5000)).containsExactly(6, 9, 7, 8);
    }

    @Test
    void aSocketAProbeRevealedIsLookedUpWhereItWasSeen() {
        owners.attributed(client(1), PID, START, 5, 1005);
        owners.attributed(client(2), PID, START, 6, 1006);
        owners.released(client(1));
        // looking for another connection, a probe of fd 6 found socket 2000 (the connection was reused)
        owners.observed(PID, START, 6, 2000);

        assertThat(order(2000)).startsWith(6);
        assertThat(order(3000)).containsExactly(5, 6);
    }

    @Test
    void theOwnerThatShowedTheSocketIsTriedBeforeMoreRecentOnes() {
        owners.attributed(client(1), 10, START, 3, 103);
        owners.attributed(client(2), 20, START, 4, 204);
        owners.observed(10, START, 5, 999);

        List<RecentOwners.Plan> plans = owners.plan(999);
        assertThat(plans).extracting(RecentOwners.Plan::pid).containsExactly(10, 20);
        assertThat(plans.getFirst().fds()).startsWith(5);
        assertThat(owners.plan(1).getFirst().pid()).isEqualTo(20);
    }

    @Test
    void theEndOfAnOldConnectionDoesNotReleaseANewerOneOnTheSameDescriptor() {
        owners.attributed(client(1), PID, START, 5, 1005);
        owners.attributed(client(2), PID, START, 6, 1006);
        // the client closed fd 5 and opened the next connection on it before the proxy saw the close
        owners.attributed(client(3), PID, START, 5, 2005);
        owners.released(client(1));

        // fd 5 still carries an open connection: the oldest open one (6) is read first
        assertThat(order(3000)).containsExactly(6, 5);
        owners.released(client(3));
        assertThat(order(3000)).containsExactly(5, 6);
    }

    @Test
    void descriptorsFoundClosedRankWithTheFreedOnes() {
        owners.attributed(client(1), PID, START, 2, 1002);
        owners.attributed(client(2), PID, START, 4, 1004);
        owners.observed(PID, START, 3, ProcessView.MISSING);
        owners.observed(PID, START, 8, ProcessView.NOT_SOCKET);

        assertThat(order(5000)).containsExactly(3, 2, 4, 8);

        // a listing shows that fd 2 is gone as well
        owners.listed(PID, START, new int[] {0, 1, 4, 8});
        assertThat(order(5000)).containsExactly(2, 3, 4, 8);
    }

    @Test
    void ownersAreBoundedAndAForgottenOneIsGone() {
        for (int pid = 1; pid <= RecentOwners.MAX_OWNERS + 2; pid++) {
            owners.attributed(client(pid), pid, START, 3, 100 + pid);
        }
        assertThat(owners.plan(1)).hasSize(RecentOwners.MAX_OWNERS);
        assertThat(owners.plan(1).getFirst().pid()).isEqualTo(RecentOwners.MAX_OWNERS + 2);

        owners.forget(RecentOwners.MAX_OWNERS + 2, START);
        assertThat(owners.plan(1)).extracting(RecentOwners.Plan::pid).doesNotContain(RecentOwners.MAX_OWNERS + 2);
        // the same pid with another start time is another process: not forgotten by this
        owners.forget(RecentOwners.MAX_OWNERS + 1, START + 1);
        assertThat(owners.plan(1).getFirst().pid()).isEqualTo(RecentOwners.MAX_OWNERS + 1);
    }

    @Test
    void descriptorsPerOwnerAreBounded() {
        for (int fd = 0; fd < RecentOwners.MAX_FDS + 10; fd++) {
            owners.attributed(client(10_000 + fd), PID, START, fd, 50_000 + fd);
        }
        int[] order = order(1);
        assertThat(order).hasSize(RecentOwners.MAX_FDS);
        // the newest are kept, oldest first
        assertThat(order[order.length - 1]).isEqualTo(RecentOwners.MAX_FDS + 9);
    }
}
