package dev.openshell.sandbox.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Asks the kernel how it would route a destination, as {@code ip route get ADDR} does: one netlink
 * {@code RTM_GETROUTE} request, answered from the routing tables of the namespace the socket was
 * made in (the caller's). The answer is live: an address put on an interface a moment ago is
 * {@link RouteType#LOCAL} at once, so nothing needs refreshing when interfaces come and go.
 *
 * <p>Cost: a send and a receive on a netlink socket, a few microseconds (see docs/benchmarks.md);
 * requests are serialized on the one socket. Thread-safe; never blocks longer than the socket's 1 s
 * receive timeout.
 */
public final class KernelRoutes implements AutoCloseable {

    /** What the kernel would do with a packet for an address ({@code rtm_type}). */
    public enum RouteType {
        /** Sent to another machine (directly or through a gateway). */
        UNICAST,
        /** An address of this host: delivered locally. */
        LOCAL,
        /** A broadcast address of one of this host's networks. */
        BROADCAST,
        /** An anycast address of this host. */
        ANYCAST,
        MULTICAST,
        /** No route, or a route that discards or rejects. */
        UNREACHABLE,
        /** Anything else the kernel answered. */
        OTHER;

        /** Whether a connection to such an address ends on this host. */
        public boolean isThisHost() {
            return this == LOCAL || this == BROADCAST || this == ANYCAST || this == MULTICAST;
        }
    }

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int RTM_NEWROUTE = 24;
    private static final int RTM_GETROUTE = 26;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLMSG_ERROR = 2;
    private static final int RTA_DST = 1;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int EACCES = 13;
    private static final int ENETUNREACH = 101;
    private static final int EHOSTUNREACH = 113;
    private static final int HEADER = 16;
    private static final int RTMSG = 12;

    private static final Cleaner CLEANER = Cleaner.create();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

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
    private final MemorySegment request = arena.allocate(64, 8);
    private final MemorySegment response = arena.allocate(4096, 8);
    private final MemorySegment kernel = arena.allocate(12, 4);
    private final MemorySegment errno = Downcalls.callState(arena);
    private final Cleaner.Cleanable cleanable;
    private int seq;
    private boolean closed;

    private KernelRoutes(int fd) {
        this.fd = fd;
        kernel.set(SHORT, 0, (short) AF_NETLINK); // sockaddr_nl: family, pad, pid 0 (the kernel), groups 0
        this.cleanable = CLEANER.register(this, new Closer(fd));
    }

    /** Routes as seen from the calling thread's network namespace. */
    public static KernelRoutes open() {
        return new KernelRoutes(netlinkSocket());
    }

    /**
     * How the kernel would route a packet to {@code address} from this host.
     *
     * @throws IllegalStateException when the kernel cannot be asked (closed, no answer within 1 s)
     */
    public RouteType typeOf(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean v4 = address instanceof Inet4Address;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("route lookup closed");
            }
            int mySeq = ++seq;
            int length = HEADER + RTMSG + 4 + bytes.length;
            request.fill((byte) 0);
            request.set(INT, 0, length);
            request.set(SHORT, 4, (short) RTM_GETROUTE);
            request.set(SHORT, 6, (short) NLM_F_REQUEST);
            request.set(INT, 8, mySeq);
            request.set(BYTE, HEADER, (byte) (v4 ? AF_INET : AF_INET6));
            request.set(BYTE, HEADER + 1, (byte) (bytes.length * 8)); // rtm_dst_len: a host route
            request.set(SHORT, HEADER + RTMSG, (short) (4 + bytes.length));
            request.set(SHORT, HEADER + RTMSG + 2, (short) RTA_DST);
            MemorySegment.copy(bytes, 0, request, BYTE, HEADER + RTMSG + 4, bytes.length);
            long sent = (long) SENDTO.invokeExact(errno, fd, request, (long) length, 0, kernel, 12);
            if (sent != length) {
                throw new IllegalStateException("netlink route request failed: " + errno());
            }
            while (true) {
                long n = (long) RECV.invokeExact(errno, fd, response, response.byteSize(), 0);
                if (n < HEADER + 4) {
                    throw new IllegalStateException("no answer to a netlink route request: " + errno());
                }
                if (response.get(INT, 8) != mySeq) {
                    continue; // the answer to an earlier request that timed out
                }
                int type = Short.toUnsignedInt(response.get(SHORT, 4));
                if (type == NLMSG_ERROR) {
                    int error = -response.get(INT, HEADER);
                    if (error == ENETUNREACH || error == EHOSTUNREACH || error == EACCES) {
                        return RouteType.UNREACHABLE; // no route, an unreachable or a prohibit route
                    }
                    throw new IllegalStateException("netlink route request answered errno " + error);
                }
                if (type != RTM_NEWROUTE || n < HEADER + RTMSG) {
                    throw new IllegalStateException("unexpected netlink route answer type " + type);
                }
                return routeType(Byte.toUnsignedInt(response.get(BYTE, HEADER + 7)));
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("netlink route request failed", e);
        } finally {
            lock.unlock();
        }
    }

    private static RouteType routeType(int rtmType) {
        return switch (rtmType) {
            case 1 -> RouteType.UNICAST;
            case 2 -> RouteType.LOCAL;
            case 3 -> RouteType.BROADCAST;
            case 4 -> RouteType.ANYCAST;
            case 5 -> RouteType.MULTICAST;
            case 6, 7, 8 -> RouteType.UNREACHABLE; // blackhole, unreachable, prohibit
            default -> RouteType.OTHER;
        };
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
            int fd = (int) SOCKET.invokeExact(err, AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_ROUTE);
            if (fd < 0) {
                throw new IllegalStateException(
                        "netlink route socket failed: " + Downcalls.describe(Downcalls.errno(err)));
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
            throw new IllegalStateException("netlink route socket failed", e);
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
