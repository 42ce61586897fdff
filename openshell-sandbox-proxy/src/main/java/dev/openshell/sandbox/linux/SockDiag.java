package dev.openshell.sandbox.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exact TCP and UDP socket lookup through netlink {@code sock_diag} (what {@code ss} uses): one
 * request naming the 4-tuple, answered by a kernel hash lookup. Reading {@code /proc/net/tcp} instead
 * walks the whole established hash table (about a millisecond of CPU per read on a machine with
 * large tables, however few sockets exist), which is too slow for every proxy connection.
 *
 * <p>A netlink socket queries the network namespace it was created in; for another namespace it
 * is created on a {@link NetworkNamespaceThread} (needs CAP_SYS_ADMIN) that ends right after. Requests are serialized on the one socket. Thread-safe.
 */
public final class SockDiag implements AutoCloseable {

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_SOCK_DIAG = 4;
    private static final int SOCK_DIAG_BY_FAMILY = 20;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLMSG_ERROR = 2;
    private static final int IPPROTO_TCP = 6;
    private static final int IPPROTO_UDP = 17;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int ENOENT = 2;
    /** {@code TCP_LISTEN} in the kernel's {@code tcp_states.h}. */
    private static final int TCP_LISTEN = 10;

    private static final int REQUEST_LENGTH = 72;
    private static final int RESPONSE_MIN = 88;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(INT, INT, INT, INT));
    private static final MethodHandle SENDTO = downcall(
            "sendto",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG,
                    INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG,
                    INT,
                    ValueLayout.ADDRESS,
                    INT));
    private static final MethodHandle RECV = downcall(
            "recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG, INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, INT));
    private static final MethodHandle SETSOCKOPT =
            downcall("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, ValueLayout.ADDRESS, INT));

    private final int fd;
    private final ReentrantLock lock = new ReentrantLock();
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment request = arena.allocate(REQUEST_LENGTH, 8);
    private final MemorySegment response = arena.allocate(8192, 8);
    private final MemorySegment kernel = arena.allocate(12, 4);
    private final MemorySegment errno = Downcalls.callState(arena);
    private final Cleaner.Cleanable cleanable;
    private int seq;
    private boolean closed;

    private SockDiag(int fd) {
        this.fd = fd;
        kernel.set(SHORT, 0, (short) AF_NETLINK); // sockaddr_nl: family, pad, pid 0 (the kernel), groups 0
        this.cleanable = CLEANER.register(this, new Closer(fd));
    }

    /** A lookup in the caller's own network namespace. */
    public static SockDiag open() {
        return new SockDiag(netlinkSocket());
    }

    /** A lookup in the network namespace of {@code pid} (its {@code /proc/<pid>/ns/net}); needs CAP_SYS_ADMIN. */
    public static SockDiag openInNamespaceOf(int pid) {
        Path namespace = Path.of("/proc/" + pid + "/ns/net");
        try (NetworkNamespaceThread inside = NetworkNamespaceThread.enter(namespace)) {
            return new SockDiag(inside.call(SockDiag::netlinkSocket));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot open a sock_diag socket in " + namespace + ": " + e.getMessage(), e);
        }
    }

    /**
     * The inode of the TCP socket whose local end is {@code local} and remote end {@code remote},
     * or empty when there is none (closed, or only a TIME_WAIT remnant).
     */
    public OptionalInt inode(InetSocketAddress local, InetSocketAddress remote) {
        return lookup(IPPROTO_TCP, local, remote);
    }

    /**
     * The inode of the UDP socket bound to {@code local} that a datagram from {@code remote} would
     * reach: connected to {@code remote}, or not connected at all (as the kernel delivers it); empty
     * when there is none.
     */
    public OptionalInt udpInode(InetSocketAddress local, InetSocketAddress remote) {
        return lookup(IPPROTO_UDP, local, remote);
    }

    private OptionalInt lookup(int protocol, InetSocketAddress local, InetSocketAddress remote) {
        boolean v4 = isIpv4(local.getAddress()) && isIpv4(remote.getAddress());
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("sock_diag lookup closed");
            }
            int mySeq = ++seq;
            if (protocol == IPPROTO_UDP) {
                // The kernel's UDP lookup reads the request as the datagram it would deliver:
                // source first, so the socket's remote end goes where TCP wants the local one.
                fillRequest(mySeq, v4, protocol, remote, local);
            } else {
                fillRequest(mySeq, v4, protocol, local, remote);
            }
            long sent = (long) SENDTO.invokeExact(errno, fd, request, (long) REQUEST_LENGTH, 0, kernel, 12);
            if (sent != REQUEST_LENGTH) {
                throw new IllegalStateException("sock_diag send failed: " + errno());
            }
            while (true) {
                long n = (long) RECV.invokeExact(errno, fd, response, response.byteSize(), 0);
                if (n < 16) {
                    throw new IllegalStateException("sock_diag receive failed: " + errno());
                }
                if (response.get(INT, 8) != mySeq) {
                    continue; // an answer to an earlier request that timed out
                }
                int type = Short.toUnsignedInt(response.get(SHORT, 4));
                if (type == NLMSG_ERROR) {
                    int error = -response.get(INT, 16);
                    if (error == ENOENT) {
                        return OptionalInt.empty();
                    }
                    throw new IllegalStateException("sock_diag answered errno " + error);
                }
                if (type != SOCK_DIAG_BY_FAMILY || n < RESPONSE_MIN) {
                    throw new IllegalStateException("unexpected sock_diag answer type " + type);
                }
                return parse(protocol, local, remote);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("sock_diag call failed", e);
        } finally {
            lock.unlock();
        }
    }

    private OptionalInt parse(int protocol, InetSocketAddress local, InetSocketAddress remote) {
        int state = Byte.toUnsignedInt(response.get(ValueLayout.JAVA_BYTE, 17));
        int sport = Short.toUnsignedInt(response.get(PORT, 20));
        int dport = Short.toUnsignedInt(response.get(PORT, 22));
        int inode = response.get(INT, 84);
        if (sport != local.getPort() || inode == 0) {
            return OptionalInt.empty();
        }
        if (protocol == IPPROTO_UDP) {
            // a socket that is not connected has no remote end (port 0) and receives from anyone
            return dport == remote.getPort() || dport == 0 ? OptionalInt.of(inode) : OptionalInt.empty();
        }
        // the kernel falls back to a listener on the client's port when no connection matches
        if (state == TCP_LISTEN || dport != remote.getPort()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(inode);
    }

    /** A request naming {@code src} and {@code dst} as the inet_diag socket id's source and destination. */
    private void fillRequest(int mySeq, boolean v4, int protocol, InetSocketAddress src, InetSocketAddress dst) {
        request.fill((byte) 0);
        request.set(INT, 0, REQUEST_LENGTH);
        request.set(SHORT, 4, (short) SOCK_DIAG_BY_FAMILY);
        request.set(SHORT, 6, (short) NLM_F_REQUEST);
        request.set(INT, 8, mySeq);
        request.set(ValueLayout.JAVA_BYTE, 16, (byte) (v4 ? AF_INET : AF_INET6));
        request.set(ValueLayout.JAVA_BYTE, 17, (byte) protocol);
        request.set(INT, 20, -1); // all states
        request.set(PORT, 24, (short) src.getPort());
        request.set(PORT, 26, (short) dst.getPort());
        address(28, src.getAddress(), v4);
        address(44, dst.getAddress(), v4);
        request.set(INT, 64, -1); // INET_DIAG_NOCOOKIE
        request.set(INT, 68, -1);
    }

    /** IPv4, or IPv4-mapped IPv6 (what a dual-stack socket reports for an IPv4 peer). */
    private static boolean isIpv4(InetAddress address) {
        if (address instanceof Inet4Address) {
            return true;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private void address(long offset, InetAddress address, boolean v4) {
        byte[] b = address.getAddress();
        if (v4 && b.length == 16) {
            b = new byte[] {b[12], b[13], b[14], b[15]};
        }
        MemorySegment.copy(b, 0, request, ValueLayout.JAVA_BYTE, offset, b.length);
    }

    private String errno() {
        return Downcalls.describe(Downcalls.errno(errno));
    }

    /** Closes the socket once no request is in flight; later lookups throw IllegalStateException. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            cleanable.clean();
        } finally {
            lock.unlock();
        }
    }

    private static int netlinkSocket() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = Downcalls.callState(a);
            int fd = (int) SOCKET.invokeExact(err, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
            if (fd < 0) {
                throw new IllegalStateException(
                        "netlink sock_diag socket failed: " + Downcalls.describe(Downcalls.errno(err)));
            }
            // never hang a proxy thread on a kernel that does not answer
            MemorySegment timeval = a.allocate(16, 8);
            timeval.set(ValueLayout.JAVA_LONG, 0, 1L);
            int rc = (int) SETSOCKOPT.invokeExact(err, fd, SOL_SOCKET, SO_RCVTIMEO, timeval, 16);
            if (rc != 0) {
                closeFd(fd);
                throw new IllegalStateException(
                        "setsockopt SO_RCVTIMEO failed: " + Downcalls.describe(Downcalls.errno(err)));
            }
            return fd;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("netlink socket failed", e);
        }
    }

    private static void closeFd(int fd) {
        Downcalls.closeQuietly(fd);
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return Downcalls.function(name, descriptor);
    }

    /** Closes the descriptor once, whether through close() or after the owner became unreachable. */
    private record Closer(int fd) implements Runnable {
        @Override
        public void run() {
            closeFd(fd);
        }
    }
}
