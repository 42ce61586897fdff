package dev.openshell.sandbox.proxy.identity;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Identifies callers through procfs: the client's socket in the client's network namespace
 * ({@code /proc/<pid>/net/tcp} and {@code tcp6}) gives the socket inode, the process holding
 * {@code socket:[inode]} among its descriptors is the caller, {@code /proc/<pid>/exe} its binary,
 * and the {@code PPid} chain its ancestors. Fails closed with {@code identity_unknown}.
 *
 * <p>With a root pid (the sandbox's first process) only that process tree is scanned, which keeps
 * the lookup small; a process that escaped the tree (double fork without a subreaper) is not
 * found and therefore denied. Immutable; {@code with*} methods return copies.
 */
public final class ProcCallerResolver implements CallerResolver {

    private static final Path DEFAULT_PROC = Path.of("/proc");
    private static final int MAX_ANCESTORS = 128;

    private final ProcFs proc;
    private final OptionalInt namespacePid;
    private final OptionalInt rootPid;
    private final BinaryTrust trust;
    private final boolean tablesOnly;
    private final Object diagLock = new Object();
    private volatile SockDiag diag;
    private boolean diagFailed;

    /**
     * @param procRoot where procfs is mounted ({@code /proc}; a fixture directory in tests)
     * @param namespacePid any pid in the client's network namespace; empty for the proxy's own
     * @param rootPid the root of the process tree callers must belong to; empty for every process
     * @param trust the TOFU record, or null to skip hashing ({@link CallerIdentity#sha256()} null)
     */
    public ProcCallerResolver(Path procRoot, OptionalInt namespacePid, OptionalInt rootPid, BinaryTrust trust) {
        this(procRoot, namespacePid, rootPid, trust, !procRoot.equals(DEFAULT_PROC));
    }

    private ProcCallerResolver(
            Path procRoot, OptionalInt namespacePid, OptionalInt rootPid, BinaryTrust trust, boolean tablesOnly) {
        this.tablesOnly = tablesOnly;
        this.proc = new ProcFs(Objects.requireNonNull(procRoot, "procRoot"));
        this.namespacePid = Objects.requireNonNull(namespacePid, "namespacePid");
        this.rootPid = Objects.requireNonNull(rootPid, "rootPid");
        this.trust = trust;
    }

    /** Clients in the proxy's own network namespace, any process on the host. */
    public static ProcCallerResolver forOwnNamespace() {
        return new ProcCallerResolver(DEFAULT_PROC, OptionalInt.empty(), OptionalInt.empty(), new BinaryTrust());
    }

    /**
     * Clients in the network namespace of {@code pidInNamespace}, restricted to the process tree
     * rooted at {@code rootPid} (pids as the proxy sees them).
     */
    public static ProcCallerResolver forNamespaceOf(int pidInNamespace, int rootPid) {
        return new ProcCallerResolver(
                DEFAULT_PROC, OptionalInt.of(pidInNamespace), OptionalInt.of(rootPid), new BinaryTrust());
    }

    public ProcCallerResolver withProcRoot(Path procRoot) {
        return new ProcCallerResolver(procRoot, namespacePid, rootPid, trust);
    }

    /** A copy using {@code trust} (shared across resolvers of one sandbox), or none when null. */
    public ProcCallerResolver withBinaryTrust(BinaryTrust trust) {
        return new ProcCallerResolver(proc.root(), namespacePid, rootPid, trust, tablesOnly);
    }

    /** A copy that reads {@code net/tcp} tables instead of asking the kernel over netlink (slower). */
    ProcCallerResolver withTableLookup() {
        return new ProcCallerResolver(proc.root(), namespacePid, rootPid, trust, true);
    }

    /**
     * How sockets are looked up: {@code sock_diag} (netlink, exact) or {@code net/tcp} (the
     * fallback when netlink is unavailable, and for a proc root other than /proc).
     */
    public String socketLookup() {
        return sockDiag() != null ? "sock_diag" : "net/tcp";
    }

    /** The TOFU record in use, or null. */
    public BinaryTrust binaryTrust() {
        return trust;
    }

    @Override
    public CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy) {
        long inode = socketInode(client, proxy);
        int pid = owner(inode, client, proxy);
        String binary = exe(pid);
        List<Integer> ancestorPids = new ArrayList<>();
        List<String> ancestors = new ArrayList<>();
        collectAncestors(pid, ancestorPids, ancestors);
        String sha = null;
        if (trust != null) {
            sha = trust.verify(proc.exeLink(pid), binary);
            // ancestors decide policy too (a rule on /bin/sh admits its children): swapped ones count
            for (int i = 0; i < ancestorPids.size(); i++) {
                trust.verify(proc.exeLink(ancestorPids.get(i)), ancestors.get(i));
            }
        }
        return new CallerIdentity(pid, binary, ancestors, sha);
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

    private Path netDir() {
        return namespacePid.isPresent()
                ? proc.pidDir(namespacePid.getAsInt()).resolve("net")
                : proc.root().resolve("net");
    }

    private long socketInode(InetSocketAddress client, InetSocketAddress proxy) {
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
        Path net = netDir();
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

    private int owner(long inode, InetSocketAddress client, InetSocketAddress proxy) {
        List<Integer> candidates;
        try {
            candidates = rootPid.isPresent() ? proc.descendantsOf(rootPid.getAsInt()) : proc.allPids();
        } catch (NoSuchFileException e) {
            throw new IdentityException(
                    "identity_unknown", "the sandbox root process " + rootPid.getAsInt() + " has exited", e);
        } catch (IOException e) {
            throw new IdentityException("identity_unknown", "cannot list processes: " + e, e);
        }
        // the lowest pid is the one that created a socket shared through fork
        candidates.sort(null);
        String link = ProcFs.socketLink(inode);
        for (int pid : candidates) {
            if (proc.holdsSocket(pid, link)) {
                return pid;
            }
        }
        throw new IdentityException(
                "identity_unknown",
                "socket " + format(client) + " -> " + format(proxy) + " (inode " + inode + ") is held by no process "
                        + (rootPid.isPresent() ? "in the process tree of pid " + rootPid.getAsInt() : "on this host")
                        + ": the client exited or passed the socket away");
    }

    private String exe(int pid) {
        try {
            return proc.exe(pid);
        } catch (IOException e) {
            throw new IdentityException(
                    "identity_unknown", "cannot read " + proc.exeLink(pid) + " (process exited?): " + e, e);
        }
    }

    /** Parent, grandparent, ... up to the root pid (inclusive) or pid 1 (exclusive). */
    private void collectAncestors(int pid, List<Integer> pids, List<String> exes) {
        int current = pid;
        while (pids.size() < MAX_ANCESTORS) {
            if (rootPid.isPresent() && current == rootPid.getAsInt()) {
                return;
            }
            OptionalInt parent = proc.parentOf(current);
            if (parent.isEmpty()) {
                throw new IdentityException(
                        "identity_unknown", "cannot read the parent of pid " + current + " (process exited?)");
            }
            int ppid = parent.getAsInt();
            if (ppid <= 1) {
                return;
            }
            pids.add(ppid);
            exes.add(exe(ppid));
            current = ppid;
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

    private static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
