package dev.openshell.sandbox.proxy.identity;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Finds the inode of a client's TCP socket in the client's network namespace: through netlink
 * {@code sock_diag} (one exact kernel lookup), or by reading {@code net/tcp} and {@code tcp6} when
 * netlink is unavailable or the proc root is a fixture. Thread-safe.
 */
final class SocketInodes implements AutoCloseable {

    private final ProcFs proc;
    private final OptionalInt namespacePid;
    private final boolean tablesOnly;
    private final Object diagLock = new Object();
    private volatile SockDiag diag;
    private boolean diagFailed;

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
                        "identity_unknown",
                        "no open TCP socket " + format(client) + " -> " + format(proxy) + " in "
                                + (namespacePid.isPresent()
                                        ? "the network namespace of pid " + namespacePid.getAsInt()
                                        : "this network namespace")
                                + ": the client already closed the connection");
            } catch (IllegalStateException e) {
                // netlink misbehaved: the tables below give the same answer, only slower
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
                "identity_unknown",
                "no open TCP socket " + format(client) + " -> " + format(proxy) + " in " + net + "/tcp"
                        + (ipv4 ? "{,6}" : "6") + ": the client already closed the connection"
                        + (namespacePid.isPresent()
                                ? " or is not in the network namespace of pid " + namespacePid.getAsInt()
                                : ""));
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
                }
            }
            return diag;
        }
    }

    private byte[] read(Path table) {
        try {
            return proc.read(table);
        } catch (IOException e) {
            throw new IdentityException(
                    "identity_unknown",
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
