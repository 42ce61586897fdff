package dev.openshell.sandbox.linux;

import dev.openshell.api.ErrorCode;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The destination a redirected TCP connection was originally sent to, read from conntrack with
 * {@code getsockopt(SO_ORIGINAL_DST)} through FFM. It works because the sandbox firewall ({@code dev.openshell.sandbox.net.SandboxFirewall})
 * redirects in the host namespace, where the proxy's socket lives. IPv4 connections (including
 * IPv4-mapped ones on the dual-stack sockets Netty's epoll transport opens) are read at {@code
 * SOL_IP}, IPv6 ones at {@code SOL_IPV6} ({@code IP6T_SO_ORIGINAL_DST}).
 *
 * <p>A connection that was not redirected reports its own local address; the firewall only admits
 * redirected connections to the transparent port, so there it always differs.
 */
public final class OriginalDestination {

    private static final int SOL_IP = 0;
    private static final int SOL_IPV6 = 41;
    /** {@code SO_ORIGINAL_DST} and {@code IP6T_SO_ORIGINAL_DST} share the number. */
    private static final int SO_ORIGINAL_DST = 80;

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_IN_SIZE = 16;
    private static final int SOCKADDR_IN6_SIZE = 28;

    private static final Map<Integer, String> ERRNO_NAMES = Map.of(
            2, "ENOENT: no conntrack entry (not a redirected connection)",
            9, "EBADF: not an open file descriptor",
            22, "EINVAL",
            88, "ENOTSOCK: not a socket",
            92, "ENOPROTOOPT: no conntrack support",
            97, "EAFNOSUPPORT");

    private static final MethodHandle GETSOCKOPT = getsockopt();

    private OriginalDestination() {}

    /** The original destination of the connection on {@code fd}, an accepted TCP socket. */
    public static InetSocketAddress of(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Downcalls.callState(arena);
            MemorySegment address = arena.allocate(SOCKADDR_IN6_SIZE);
            MemorySegment length = arena.allocate(ValueLayout.JAVA_INT);
            int ipv4Errno = query(fd, SOL_IP, address, SOCKADDR_IN_SIZE, length, state);
            if (ipv4Errno == 0) {
                return decode(address);
            }
            int ipv6Errno = query(fd, SOL_IPV6, address, SOCKADDR_IN6_SIZE, length, state);
            if (ipv6Errno == 0) {
                return decode(address);
            }
            throw new SyscallException(
                    ErrorCode.ORIGINAL_DESTINATION_UNAVAILABLE,
                    "getsockopt(fd " + fd + ", SO_ORIGINAL_DST) failed: " + describe(ipv4Errno) + " (IPv6: "
                            + describe(ipv6Errno) + ")");
        }
    }

    /** The original destination of an accepted channel of a native transport (epoll, io_uring). */
    public static InetSocketAddress of(Channel channel) {
        if (!(channel instanceof UnixChannel unix)) {
            throw new SyscallException(
                    ErrorCode.ORIGINAL_DESTINATION_UNAVAILABLE,
                    "SO_ORIGINAL_DST needs a native transport channel with a file descriptor, not "
                            + channel.getClass().getName());
        }
        return of(unix.fd().intValue());
    }

    private static int query(
            int fd, int level, MemorySegment address, int size, MemorySegment length, MemorySegment state) {
        length.set(ValueLayout.JAVA_INT, 0, size);
        try {
            int result = (int) GETSOCKOPT.invokeExact(state, fd, level, SO_ORIGINAL_DST, address, length);
            return result == 0 ? 0 : Downcalls.errno(state);
        } catch (Throwable e) {
            throw new SyscallException(
                    ErrorCode.ORIGINAL_DESTINATION_UNAVAILABLE, "getsockopt downcall failed: " + e, e);
        }
    }

    private static InetSocketAddress decode(MemorySegment address) {
        int family = Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT, 0));
        int port = Short.toUnsignedInt(address.get(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
        byte[] octets = switch (family) {
            case AF_INET -> address.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
            case AF_INET6 -> address.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
            default ->
                throw new SyscallException(
                        ErrorCode.ORIGINAL_DESTINATION_UNAVAILABLE,
                        "SO_ORIGINAL_DST returned address family " + family);
        };
        try {
            return new InetSocketAddress(InetAddress.getByAddress(octets), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 octets are always an address", e);
        }
    }

    private static String describe(int errno) {
        return ERRNO_NAMES.getOrDefault(errno, Downcalls.describe(errno));
    }

    private static MethodHandle getsockopt() {
        return Downcalls.function(
                "getsockopt",
                FunctionDescriptor.of(
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS));
    }
}
