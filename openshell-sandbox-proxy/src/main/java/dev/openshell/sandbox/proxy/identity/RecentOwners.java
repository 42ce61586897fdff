package dev.openshell.sandbox.proxy.identity;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes that most recently owned client sockets, each with what is known about its
 * descriptors, so that a long-running client's next connection is found by reading one or two of
 * its descriptors instead of scanning the process tree. Everything here is only a place to look:
 * the resolver reads the descriptor now and checks the process's start time before it believes
 * anything (so a recycled pid is never taken for the old process).
 *
 * <p>Per descriptor it keeps the socket inode last seen there and whether the proxy's connection
 * on it is open, was released (the proxy closed it), or was never attributed (a probe saw another
 * client socket, most likely a connection the proxy has not resolved yet: its lookup then needs a
 * single read). The kernel gives a new socket the lowest free descriptor, and a busy client closes
 * one connection and opens the next at once, usually before the proxy has seen the first one end;
 * so the order to read is: a descriptor where this very socket was seen, then freed descriptors
 * (lowest first), then descriptors of open connections (oldest first), then the rest ({@link
 * OwnerSearch} reads the first two groups of every owner before the others). A wrong guess costs
 * one more read. Releases are matched by socket inode, so the end of an old connection never marks
 * a newer one on the same descriptor. Bounded; thread-safe.
 */
final class RecentOwners {

    static final int MAX_OWNERS = 8;
    static final int MAX_FDS = 64;
    /** Open attributions remembered for {@link #released}; beyond this they are dropped (hints only). */
    static final int MAX_CONNECTIONS = 16_384;

    private static final byte FREE = 0; // a probe found no such descriptor
    private static final byte RELEASED = 1; // the proxy closed the connection attributed here
    private static final byte OPEN = 2; // a connection the proxy still has open
    private static final byte SEEN = 3; // a client socket no connection was attributed to yet
    private static final byte OTHER = 4; // not a socket

    /**
     * Where to look for one socket: a process (pid and start time) and descriptors in reading
     * order, the first {@code likely} of them where the socket was seen or freed descriptors.
     */
    record Plan(int pid, long startTime, int[] fds, int likely) {}

    private record Attribution(int pid, long startTime, int fd, long inode) {}

    private final List<Owner> owners = new ArrayList<>(MAX_OWNERS); // most recent first
    private final Map<InetSocketAddress, Attribution> connections = new HashMap<>();
    private long clock;

    /** The owners to try for socket {@code inode}: those that showed it before first, then by recency. */
    synchronized List<Plan> plan(long inode) {
        List<Plan> plans = new ArrayList<>(owners.size());
        for (Owner o : owners) {
            int[] fds = o.order(inode);
            Plan p = new Plan(o.pid, o.startTime, fds, o.likely(inode));
            if (o.indexOfInode(inode) >= 0) {
                plans.addFirst(p);
            } else {
                plans.add(p);
            }
        }
        return plans;
    }

    /** A probe of descriptor {@code fd} of a recent owner returned {@code result} ({@link ProcessView#probe}). */
    synchronized void observed(int pid, long startTime, int fd, long result) {
        Owner o = find(pid, startTime);
        if (o == null) {
            return;
        }
        int i = o.indexOfFd(fd);
        if (result == ProcessView.MISSING || result == ProcessView.NOT_SOCKET) {
            byte state = result == ProcessView.MISSING ? FREE : OTHER;
            if (i >= 0) {
                o.set(i, 0, state, ++clock);
            } else {
                o.add(fd, 0, state, ++clock);
            }
        } else if (i < 0) {
            o.add(fd, result, SEEN, ++clock);
        } else if (o.inode[i] != result) {
            o.set(i, result, SEEN, ++clock);
        }
    }

    /** The descriptors a recent owner has now ({@code fds}, ascending): the others are free. */
    synchronized void listed(int pid, long startTime, int[] fds) {
        Owner o = find(pid, startTime);
        if (o == null) {
            return;
        }
        for (int i = 0; i < o.size; i++) {
            if (o.state[i] != FREE && Arrays.binarySearch(fds, o.fd[i]) < 0) {
                o.set(i, 0, FREE, ++clock);
            }
        }
    }

    /** The connection from {@code client} is socket {@code inode} on descriptor {@code fd} of the process. */
    synchronized void attributed(InetSocketAddress client, int pid, long startTime, int fd, long inode) {
        Owner o = find(pid, startTime);
        if (o == null) {
            o = new Owner(pid, startTime);
        } else {
            owners.remove(o);
        }
        if (owners.size() == MAX_OWNERS) {
            owners.removeLast();
        }
        owners.addFirst(o);
        int i = o.indexOfFd(fd);
        if (i >= 0) {
            o.set(i, inode, OPEN, ++clock);
        } else {
            o.add(fd, inode, OPEN, ++clock);
        }
        if (connections.size() >= MAX_CONNECTIONS) {
            connections.clear(); // released() is never called by some users: stay bounded
        }
        connections.put(client, new Attribution(pid, startTime, fd, inode));
    }

    /** The proxy closed the connection from {@code client}: its descriptor is likely to be reused next. */
    synchronized void released(InetSocketAddress client) {
        Attribution a = connections.remove(client);
        Owner o = a == null ? null : find(a.pid(), a.startTime());
        if (o == null) {
            return;
        }
        int i = o.indexOfFd(a.fd());
        // only if the descriptor still carries that socket: a newer connection may sit there already
        if (i >= 0 && o.inode[i] == a.inode() && o.state[i] == OPEN) {
            o.set(i, a.inode(), RELEASED, ++clock);
        }
    }

    /** Drops a process whose plan turned out stale (exited, or its pid now names another process). */
    synchronized void forget(int pid, long startTime) {
        owners.removeIf(o -> o.pid == pid && o.startTime == startTime);
    }

    private Owner find(int pid, long startTime) {
        for (Owner o : owners) {
            if (o.pid == pid && o.startTime == startTime) {
                return o;
            }
        }
        return null;
    }

    /** One process and its known descriptors (parallel arrays; at most {@value #MAX_FDS}). */
    private static final class Owner {
        final int pid;
        final long startTime;
        final int[] fd = new int[MAX_FDS];
        final long[] inode = new long[MAX_FDS];
        final byte[] state = new byte[MAX_FDS];
        final long[] stamp = new long[MAX_FDS];
        int size;

        Owner(int pid, long startTime) {
            this.pid = pid;
            this.startTime = startTime;
        }

        int indexOfFd(int number) {
            for (int i = 0; i < size; i++) {
                if (fd[i] == number) {
                    return i;
                }
            }
            return -1;
        }

        int indexOfInode(long socket) {
            for (int i = 0; i < size; i++) {
                if (inode[i] == socket && state[i] != FREE && state[i] != OTHER) {
                    return i;
                }
            }
            return -1;
        }

        void set(int i, long socket, byte newState, long now) {
            inode[i] = socket;
            state[i] = newState;
            stamp[i] = now;
        }

        void add(int number, long socket, byte newState, long now) {
            int i = size < MAX_FDS ? size++ : victim();
            fd[i] = number;
            set(i, socket, newState, now);
        }

        /** The entry to overwrite when full: the oldest that is not an open connection, else the oldest. */
        private int victim() {
            int best = -1;
            for (int i = 0; i < size; i++) {
                boolean open = state[i] == OPEN;
                if (best < 0
                        || (!open && state[best] == OPEN)
                        || (open == (state[best] == OPEN) && stamp[i] < stamp[best])) {
                    best = i;
                }
            }
            return best;
        }

        /** How many descriptors lead {@link #order}: where {@code target} was seen, and freed ones. */
        int likely(long target) {
            int n = 0;
            for (int i = 0; i < size; i++) {
                if ((inode[i] == target && state[i] != FREE && state[i] != OTHER)
                        || state[i] == FREE
                        || state[i] == RELEASED) {
                    n++;
                }
            }
            return n;
        }

        /** Descriptor numbers in the order to read them when looking for socket {@code target}. */
        int[] order(long target) {
            long[] keys = new long[size];
            for (int i = 0; i < size; i++) {
                // rank in the high bits, then the number (free ones) or the age (the others)
                long rank;
                long within;
                if (inode[i] == target && state[i] != FREE && state[i] != OTHER) {
                    rank = 0;
                    within = 0;
                } else if (state[i] == FREE || state[i] == RELEASED) {
                    rank = 1;
                    within = fd[i];
                } else {
                    rank = state[i] == OPEN ? 2 : state[i] == SEEN ? 3 : 4;
                    within = stamp[i];
                }
                keys[i] = (rank << 56) | (within & 0xffffffffffL) << 16 | i;
            }
            Arrays.sort(keys);
            int[] out = new int[size];
            for (int k = 0; k < size; k++) {
                out[k] = fd[(int) (keys[k] & 0xffff)];
            }
            return out;
        }
    }
}
