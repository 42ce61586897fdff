package dev.openshell.sandbox.proxy.identity;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.linux.SockDiag;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the inode of a client's TCP or UDP socket in the client's network namespace: through
 * netlink {@code sock_diag} (one exact kernel lookup), or by reading {@code net/tcp}, {@code tcp6},
 * {@code udp} and {@code udp6} when netlink is unavailable or the proc root is a fixture.
 * Thread-safe.
 */
final class SocketInodes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SocketInodes.class);

    private final ProcFs proc;
    private final OptionalInt namespacePid;
    private final boolean tablesOnly;
    private final Object diagLock = new Object();
    private volatile SockDiag diag;
    private boolean diagFailed;
    private final AtomicBoolean fallbackReported = new AtomicBoolean();

    /**
     * @param namespacePid any pid in the client's network namespace; empty for the proxy's own
     * @param tablesOnly never use netlink (a fixture proc root, or to compare both lookups)
     */
    SocketInodes(ProcFs proc, OptionalInt namespacePid, boolean tablesOnly) {
        this.proc = proc;
        this.namespacePid = namespacePid;
        this.tablesOnly = tablesOnly;
    }

    /** Whether the netlink lookup is in use (it is opened on first use). */
    boolean netlink() {
        return sockDiag() != null;
    }

    /**
     * The inode of the socket whose local end is {@code client} and remote end {@code proxy}.
     *
     * @throws IdentityException {@code identity_unknown} when there is no such socket
     */
    long inode(InetSocketAddress client, InetSocketAddress proxy) {
        SockDiag d = sockDiag();
        if (d != null) {
            try {
                OptionalInt inode = d.inode(client, proxy);
                if (inode.isPresent()) {
                    return Integer.toUnsignedLong(inode.getAsInt());
                }
                throw new IdentityException(
                        ErrorCode.IDENTITY_UNKNOWN,
                        "no open TCP socket " + format(client) + " -> " + format(proxy) + " in "
                                + (namespacePid.isPresent()
                                        ? "the network namespace of pid " + namespacePid.getAsInt()
                                        : "this network namespace")
                                + ": the client already closed the connection");
            } catch (IllegalStateException e) {
                // netlink misbehaved: the tables below give the same answer, only slower
                fallingBack(e);
            }
        }
        Path net = namespacePid.isPresent()
                ? proc.pidDir(namespacePid.getAsInt()).resolve("net")
                : proc.root().resolve("net");
        boolean ipv4 = TcpTable.isIpv4(client.getAddress());
        if (ipv4) {
            long inode = TcpTable.findInode(read(net.resolve("tcp")), false, client, proxy);
            if (inode > 0) {
                return inode;
            }
        }
        // IPv6, or IPv4 through a dual-stack socket (::ffff:a.b.c.d)
        byte[] tcp6 = ipv4 ? proc.readOrEmpty(net.resolve("tcp6")) : read(net.resolve("tcp6"));
        long inode = TcpTable.findInode(tcp6, true, client, proxy);
        if (inode > 0) {
            return inode;
        }
        throw new IdentityException(
                ErrorCode.IDENTITY_UNKNOWN,
                "no open TCP socket " + format(client) + " -> " + format(proxy) + " in " + net + "/tcp"
                        + (ipv4 ? "{,6}" : "6") + ": the client already closed the connection"
                        + (namespacePid.isPresent()
                                ? " or is not in the network namespace of pid " + namespacePid.getAsInt()
                                : ""));
    }

    /**
     * The inode of the UDP socket on {@code client} that sent a datagram to {@code server}: one
     * connected to {@code server}, or one not connected at all.
     *
     * @throws IdentityException {@code identity_unknown} when there is no such socket
     */
    long udpInode(InetSocketAddress client, InetSocketAddress server) {
        SockDiag d = sockDiag();
        if (d != null) {
            try {
                OptionalInt inode = d.udpInode(client, server);
                if (inode.isPresent()) {
                    return Integer.toUnsignedLong(inode.getAsInt());
                }
            } catch (IllegalStateException e) {
                // netlink misbehaved (or has no UDP support): the tables below give the same answer
                fallingBack(e);
            }
        }
        Path net = namespacePid.isPresent()
                ? proc.pidDir(namespacePid.getAsInt()).resolve("net")
                : proc.root().resolve("net");
        for (String table :
                TcpTable.isIpv4(client.getAddress()) ? new String[] {"udp", "udp6"} : new String[] {"udp6"}) {
            long inode = udpRow(proc.readOrEmpty(net.resolve(table)), table.endsWith("6"), client, server);
            if (inode > 0) {
                return inode;
            }
        }
        throw new IdentityException(
                ErrorCode.IDENTITY_UNKNOWN,
                "no open UDP socket " + format(client) + " sending to " + format(server) + ": the client already"
                        + " closed it");
    }

    /** A live row bound to {@code client}'s port and address (or any address), connected to {@code server} or not. */
    private static long udpRow(byte[] table, boolean ipv6Table, InetSocketAddress client, InetSocketAddress server) {
        long unconnected = -1;
        for (TcpTable.Row row : TcpTable.parse(table, ipv6Table)) {
            if (row.localPort() != client.getPort() || row.inode() <= 0) {
                continue;
            }
            InetAddress local = address(row.local());
            if (!local.isAnyLocalAddress() && !local.equals(client.getAddress())) {
                continue;
            }
            InetAddress remote = address(row.remote());
            if (row.remotePort() == server.getPort() && remote.equals(server.getAddress())) {
                return row.inode();
            }
            if (row.remotePort() == 0 && remote.isAnyLocalAddress()) {
                unconnected = row.inode();
            }
        }
        return unconnected;
    }

    private static InetAddress address(byte[] sixteen) {
        try {
            return InetAddress.getByAddress(sixteen); // IPv4-mapped comes back as the IPv4 address
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The netlink lookup, created on first use; null when unavailable (then tables are read). */
    private SockDiag sockDiag() {
        SockDiag d = diag;
        if (d != null || tablesOnly) {
            return d;
        }
        synchronized (diagLock) {
            if (diag == null && !diagFailed) {
                try {
                    diag = namespacePid.isPresent()
                            ? SockDiag.openInNamespaceOf(namespacePid.getAsInt())
                            : SockDiag.open();
                } catch (RuntimeException | LinkageError e) {
                    diagFailed = true;
                    fallingBack(e);
                }
            }
            return diag;
        }
    }

    /** Says once per lookup that caller identity reads the socket tables (a millisecond or more per connection). */
    private void fallingBack(Throwable why) {
        if (fallbackReported.compareAndSet(false, true)) {
            LOG.warn(
                    "netlink sock_diag lookup failed ({}); caller identity reads /proc/net/tcp instead, which is"
                            + " slower per connection",
                    why.getMessage());
        }
    }

    private byte[] read(Path table) {
        try {
            return proc.read(table);
        } catch (IOException e) {
            throw new IdentityException(
                    ErrorCode.IDENTITY_UNKNOWN,
                    "cannot read " + table + ": " + e
                            + (namespacePid.isPresent() ? " (has pid " + namespacePid.getAsInt() + " exited?)" : ""),
                    e);
        }
    }

    /** Closes the netlink socket; later lookups read the tables. */
    @Override
    public void close() {
        synchronized (diagLock) {
            diagFailed = true;
            if (diag != null) {
                diag.close();
                diag = null;
            }
        }
    }

    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
