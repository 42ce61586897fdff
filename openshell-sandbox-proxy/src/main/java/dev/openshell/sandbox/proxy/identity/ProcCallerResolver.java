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
 * found and therefore denied.
 *
 * <p>A long-running client opens many connections: the resolver remembers the last few owners and
 * the descriptor numbers their sockets had ({@link RecentOwners}), and looks there first. A hint
 * is accepted only when that descriptor holds the socket now, the pid still has the recorded
 * start time, and the process is still inside the tree; binary, ancestors and hashes are read
 * afresh on every connection, so an exec, a replaced binary or a recycled pid is seen at once.
 * Configuration is immutable ({@code with*} methods return copies, each with its own hints).
 */
public final class ProcCallerResolver implements CallerResolver {

    private static final Path DEFAULT_PROC = Path.of("/proc");
    private static final int MAX_ANCESTORS = 128;
    /** Descriptor reads the recent-owner check may spend before the tree is scanned instead. */
    private static final int MAX_HINT_READS = 48;

    private final ProcFs proc;
    private final OptionalInt namespacePid;
    private final OptionalInt rootPid;
    private final BinaryTrust trust;
    private final boolean tablesOnly;
    private final RecentOwners owners = new RecentOwners();
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
        String link = ProcFs.socketLink(inode);
        CallerIdentity recent = fromRecentOwner(client, link, false);
        if (recent != null) {
            return recent;
        }
        int[] found = owner(inode, link, client, proxy);
        int pid = found[0];
        ProcFs.Stat before = proc.stat(pid);
        CallerIdentity identity = describe(pid, false);
        if (identity == null) {
            throw new IdentityException(
                    "identity_unknown", "pid " + pid + " left the process tree of pid " + rootPid.getAsInt());
        }
        if (before != null && found[1] >= 0) {
            owners.record(pid, before.startTime(), found[1]);
            owners.opened(client, pid, found[1]);
        }
        return identity;
    }

    /**
     * Answers from a recent owner when the socket sits on one of its recent descriptors and every
     * binary involved was hashed before: a netlink query and a handful of small procfs reads, no
     * tree scan and no hashing. Otherwise null.
     */
    @Override
    public CallerIdentity resolveQuickly(InetSocketAddress client, InetSocketAddress proxy) {
        if (sockDiag() == null) {
            return null;
        }
        return fromRecentOwner(client, ProcFs.socketLink(socketInode(client, proxy)), true);
    }

    /**
     * The caller when a recent owner holds the socket on a recently used descriptor and is still the
     * same process (start time) inside the tree; null otherwise (or, when {@code quick}, when a
     * binary would need hashing). Everything but where to look is read afresh.
     */
    private CallerIdentity fromRecentOwner(InetSocketAddress client, String link, boolean quick) {
        int budget = MAX_HINT_READS;
        for (RecentOwners.Hint hint : owners.snapshot()) {
            // descriptors whose connection ended first (a new socket takes the lowest free one)
            for (int pass = 0; pass < 2; pass++) {
                for (int fd : hint.fds()) {
                    if (owners.isOpen(hint.pid(), fd) != (pass == 1)) {
                        continue;
                    }
                    if (budget-- == 0) {
                        return null;
                    }
                    if (proc.holdsSocketAt(hint.pid(), fd, link)) {
                        return confirm(client, hint, fd, quick);
                    }
                }
            }
        }
        return null;
    }

    private CallerIdentity confirm(InetSocketAddress client, RecentOwners.Hint hint, int fd, boolean quick) {
        CallerIdentity identity = describe(hint.pid(), quick);
        // read after the binary: the pid named the recorded process throughout
        ProcFs.Stat now = proc.stat(hint.pid());
        if (now == null || now.startTime() != hint.startTime()) {
            owners.forget(hint.pid(), hint.startTime()); // the pid names another process now
            return null;
        }
        if (identity != null) {
            owners.record(hint.pid(), hint.startTime(), fd);
            owners.opened(client, hint.pid(), fd);
        }
        return identity;
    }

    /** The connection from {@code client} was closed: its descriptor is a likely place for the next one. */
    @Override
    public void released(InetSocketAddress client) {
        owners.closed(client);
    }

    /**
     * The binary, ancestors and hash of {@code pid}, read now. Null when the process is no longer
     * inside the tree (it was found through a hint; a scan then decides), or when {@code quick} and
     * a binary was not hashed yet.
     */
    private CallerIdentity describe(int pid, boolean quick) {
        String binary = exe(pid);
        List<Integer> ancestorPids = new ArrayList<>();
        List<String> ancestors = new ArrayList<>();
        boolean inTree = collectAncestors(pid, ancestorPids, ancestors);
        if (!inTree && rootPid.isPresent()) {
            return null;
        }
        String sha = null;
        if (trust != null) {
            sha = quick ? trust.verifyIfHashed(proc.exeLink(pid), binary) : trust.verify(proc.exeLink(pid), binary);
            if (sha == null) {
                return null;
            }
            // ancestors decide policy too (a rule on /bin/sh admits its children): swapped ones count
            for (int i = 0; i < ancestorPids.size(); i++) {
                Path link = proc.exeLink(ancestorPids.get(i));
                String a = ancestors.get(i);
                if ((quick ? trust.verifyIfHashed(link, a) : trust.verify(link, a)) == null) {
                    return null;
                }
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

    /** The owning pid (the lowest, when shared through fork) and its descriptor number. */
    private int[] owner(long inode, String link, InetSocketAddress client, InetSocketAddress proxy) {
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
        for (int pid : candidates) {
            int fd = proc.socketFd(pid, link);
            if (fd >= 0) {
                return new int[] {pid, fd};
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

    /**
     * Parent, grandparent, ... up to the root pid (inclusive) or pid 1 (exclusive). Returns whether
     * the walk reached the root pid (always true without one).
     */
    private boolean collectAncestors(int pid, List<Integer> pids, List<String> exes) {
        int current = pid;
        while (pids.size() < MAX_ANCESTORS) {
            if (rootPid.isPresent() && current == rootPid.getAsInt()) {
                return true;
            }
            OptionalInt parent = proc.parentOf(current);
            if (parent.isEmpty()) {
                throw new IdentityException(
                        "identity_unknown", "cannot read the parent of pid " + current + " (process exited?)");
            }
            int ppid = parent.getAsInt();
            if (ppid <= 1) {
                return rootPid.isEmpty() || rootPid.getAsInt() == ppid;
            }
            pids.add(ppid);
            exes.add(exe(ppid));
            current = ppid;
        }
        return rootPid.isEmpty();
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
