package dev.openshell.sandbox.proxy.identity;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes that most recently owned client sockets, each with the descriptor numbers its
 * sockets had, so that a long-running client's next connection is found by reading a few of its
 * descriptors instead of scanning the whole process tree. A hint is only a place to look: the
 * resolver confirms that the descriptor holds the socket now and that the process still has the
 * start time it had when it was recorded (so a recycled pid is never taken for the old process).
 *
 * <p>The kernel gives a new socket the lowest free descriptor, which is usually one whose
 * connection just ended: descriptors still carrying an open proxy connection are tried last. The
 * order is only a heuristic; a wrong guess costs one more read. Bounded; thread-safe.
 */
final class RecentOwners {

    static final int MAX_OWNERS = 8;
    static final int MAX_FDS = 32;

    /** Where to look: a process (pid and start time) and its recent socket descriptors, newest first. */
    record Hint(int pid, long startTime, int[] fds) {}

    private final List<Hint> owners = new ArrayList<>(MAX_OWNERS); // newest first
    /** (pid, fd) of connections still open, by client address. */
    private final Map<InetSocketAddress, Long> openByClient = new ConcurrentHashMap<>();

    private final Set<Long> open = ConcurrentHashMap.newKeySet();

    /** The owners to try, newest first (a copy). */
    synchronized List<Hint> snapshot() {
        return List.copyOf(owners);
    }

    /** Records that {@code fd} of process ({@code pid}, {@code startTime}) held a client socket. */
    synchronized void record(int pid, long startTime, int fd) {
        int[] fds = {fd};
        for (int i = 0; i < owners.size(); i++) {
            Hint h = owners.get(i);
            if (h.pid() == pid) {
                owners.remove(i);
                if (h.startTime() == startTime) {
                    fds = withFirst(h.fds(), fd);
                }
                break;
            }
        }
        if (owners.size() == MAX_OWNERS) {
            owners.removeLast();
        }
        owners.addFirst(new Hint(pid, startTime, fds));
    }

    /** Notes that the connection from {@code client} lives on descriptor {@code fd} of {@code pid}. */
    void opened(InetSocketAddress client, int pid, int fd) {
        long key = key(pid, fd);
        open.add(key);
        Long previous = openByClient.put(client, key);
        if (previous != null && previous != key) {
            open.remove(previous);
        }
    }

    /** The connection from {@code client} ended; its descriptor is likely to be reused next. */
    void closed(InetSocketAddress client) {
        Long key = openByClient.remove(client);
        if (key != null) {
            open.remove(key);
        }
    }

    /** Whether descriptor {@code fd} of {@code pid} still carries an open proxy connection. */
    boolean isOpen(int pid, int fd) {
        return open.contains(key(pid, fd));
    }

    private static long key(int pid, int fd) {
        return ((long) pid << 32) | (fd & 0xffffffffL);
    }

    /** Drops a process whose hint turned out stale (exited, or its pid now names another process). */
    synchronized void forget(int pid, long startTime) {
        owners.removeIf(h -> h.pid() == pid && h.startTime() == startTime);
    }

    private static int[] withFirst(int[] fds, int fd) {
        int n = Math.min(fds.length + 1, MAX_FDS);
        int[] out = new int[n];
        out[0] = fd;
        int j = 1;
        for (int i = 0; i < fds.length && j < n; i++) {
            if (fds[i] != fd) {
                out[j++] = fds[i];
            }
        }
        return j == n ? out : java.util.Arrays.copyOf(out, j);
    }
}
