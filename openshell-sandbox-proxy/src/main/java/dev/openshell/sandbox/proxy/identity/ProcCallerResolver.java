package dev.openshell.sandbox.proxy.identity;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.linux.ProcSyscalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.LongAdder;

/**
 * Identifies callers through procfs: the client's socket in the client's network namespace
 * ({@link SocketInodes}) gives the socket inode, the process holding {@code socket:[inode]} among
 * its descriptors is the caller, {@code /proc/<pid>/exe} its binary, and the parent chain of
 * {@code /proc/<pid>/stat} its ancestors. Fails closed with {@code identity_unknown}.
 *
 * <p>With a root pid (the sandbox's first process) only that process tree is scanned, which keeps
 * the lookup small; a process that escaped the tree (double fork without a subreaper) is not
 * found and therefore denied.
 *
 * <p>A long-running client opens many connections: the resolver remembers recent owners and their
 * descriptors ({@link RecentOwners}) and looks there first. A hint is accepted only when that
 * descriptor holds the socket now, the pid still has the recorded start time, and the process is
 * still inside the tree; binary, ancestors and hashes are read afresh on every connection, so an
 * exec, a replaced binary or a recycled pid is seen at once. On {@code /proc} the reads go through
 * descriptors kept open per process ({@link ProcHandles}: one system call per read, and a kept
 * descriptor never reaches a later process with the same pid); on a fixture root, or without
 * native access, by path ({@link ProcPaths}). Configuration is immutable ({@code with*} methods
 * return copies, each with its own hints and descriptors). {@link #close()} releases them.
 */
public final class ProcCallerResolver implements CallerResolver {

    private static final Path DEFAULT_PROC = Path.of("/proc");
    /** Descriptor reads a resolution on an event loop may spend before a scan elsewhere decides. */
    private static final int QUICK_PROBES = 16;
    /** Descriptor reads the recent owners may cost before the tree is scanned. */
    private static final int MAX_PROBES = 48;

    private final ProcFs proc;
    private final OptionalInt namespacePid;
    private final OptionalInt rootPid;
    private final BinaryTrust trust;
    private final boolean tablesOnly;
    private final boolean pathReads;
    private final String ancestorBoundary;
    private final SocketInodes sockets;
    private final ProcessAccess processes;
    private final IdentityReader reader;
    private final RecentOwners owners = new RecentOwners();
    private final LongAdder resolves = new LongAdder();
    private final LongAdder quickAnswers = new LongAdder();
    private final LongAdder probes = new LongAdder();
    private final LongAdder listings = new LongAdder();
    private final LongAdder scans = new LongAdder();
    private final LongAdder procCalls = new LongAdder();
    private volatile boolean closed;

    /**
     * What the resolver has spent since it was created.
     *
     * @param resolves identities answered (by {@link #resolve} or {@link #resolveQuickly})
     * @param quickAnswers of those, answered by {@link #resolveQuickly}
     * @param fdProbes descriptors read to find a socket (recent owners and after scans)
     * @param fdListings descriptor tables listed
     * @param scans process tree scans
     * @param procCalls procfs reads and opens by the per-process views (the scan's own reads and
     *     the socket lookup are not counted)
     */
    public record Stats(long resolves, long quickAnswers, long fdProbes, long fdListings, long scans, long procCalls) {

        /** The difference to an earlier snapshot. */
        public Stats minus(Stats earlier) {
            return new Stats(
                    resolves - earlier.resolves,
                    quickAnswers - earlier.quickAnswers,
                    fdProbes - earlier.fdProbes,
                    fdListings - earlier.fdListings,
                    scans - earlier.scans,
                    procCalls - earlier.procCalls);
        }
    }

    /**
     * @param procRoot where procfs is mounted ({@code /proc}; a fixture directory in tests)
     * @param namespacePid any pid in the client's network namespace; empty for the proxy's own
     * @param rootPid the root of the process tree callers must belong to; empty for every process
     * @param trust the TOFU record, or null to skip hashing ({@link CallerIdentity#sha256()} null)
     */
    public ProcCallerResolver(Path procRoot, OptionalInt namespacePid, OptionalInt rootPid, BinaryTrust trust) {
        this(procRoot, namespacePid, rootPid, trust, !procRoot.equals(DEFAULT_PROC), false, null);
    }

    private ProcCallerResolver(
            Path procRoot,
            OptionalInt namespacePid,
            OptionalInt rootPid,
            BinaryTrust trust,
            boolean tablesOnly,
            boolean pathReads,
            String ancestorBoundary) {
        this.tablesOnly = tablesOnly;
        this.ancestorBoundary = ancestorBoundary;
        this.proc = new ProcFs(Objects.requireNonNull(procRoot, "procRoot"));
        this.namespacePid = Objects.requireNonNull(namespacePid, "namespacePid");
        this.rootPid = Objects.requireNonNull(rootPid, "rootPid");
        this.trust = trust;
        this.sockets = new SocketInodes(proc, namespacePid, tablesOnly);
        this.pathReads = pathReads || !procRoot.equals(DEFAULT_PROC) || !ProcSyscalls.available();
        this.processes = this.pathReads ? new ProcPaths(proc) : new ProcHandles();
        this.reader = new IdentityReader(processes, rootPid, trust, ancestorBoundary);
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
        return new ProcCallerResolver(
                proc.root(), namespacePid, rootPid, trust, tablesOnly, pathReads, ancestorBoundary);
    }

    /**
     * A copy whose callers' ancestors end below the first process running {@code exe} (the sandbox
     * launcher: it starts every process of a sandbox, so what lies above it, the supervisor or an
     * SSH server, is the host's and must not lend a caller its identity).
     */
    public ProcCallerResolver withAncestorBoundary(String exe) {
        return new ProcCallerResolver(proc.root(), namespacePid, rootPid, trust, tablesOnly, pathReads, exe);
    }

    /** A copy that reads {@code net/tcp} tables instead of asking the kernel over netlink (slower). */
    ProcCallerResolver withTableLookup() {
        return new ProcCallerResolver(proc.root(), namespacePid, rootPid, trust, true, pathReads, ancestorBoundary);
    }

    /** A copy that reads processes by path with java.nio, as without native access (slower). */
    ProcCallerResolver withPathReads() {
        return new ProcCallerResolver(proc.root(), namespacePid, rootPid, trust, tablesOnly, true, ancestorBoundary);
    }

    /**
     * How sockets are looked up: {@code sock_diag} (netlink, exact) or {@code net/tcp} (the
     * fallback when netlink is unavailable, and for a proc root other than /proc).
     */
    public String socketLookup() {
        return sockets.netlink() ? "sock_diag" : "net/tcp";
    }

    /** How processes are read: {@code descriptors} (kept open, native calls) or {@code paths} (java.nio). */
    public String processReads() {
        return pathReads ? "paths" : "descriptors";
    }

    /** The TOFU record in use, or null. */
    public BinaryTrust binaryTrust() {
        return trust;
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        return new Stats(
                resolves.sum(), quickAnswers.sum(), probes.sum(), listings.sum(), scans.sum(), procCalls.sum());
    }

    @Override
    public CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy) {
        return resolveOwner(client, proxy, socketInode(client, proxy));
    }

    @Override
    public CallerIdentity resolveDatagram(InetSocketAddress client, InetSocketAddress server) {
        if (closed) {
            throw new IdentityException(
                    ErrorCode.IDENTITY_UNKNOWN, "the caller resolver was closed (the proxy is stopping)");
        }
        return resolveOwner(client, server, sockets.udpInode(client, server));
    }

    /** The process holding socket {@code inode}: a recent owner when one still holds it, else a scan. */
    private CallerIdentity resolveOwner(InetSocketAddress client, InetSocketAddress proxy, long inode) {
        Lookup lookup = processes.begin();
        try {
            CallerIdentity recent = fromRecentOwner(lookup, client, inode, false);
            if (recent == null) {
                recent = fromScan(lookup, client, proxy, inode);
            }
            resolves.increment();
            return recent;
        } finally {
            account(lookup);
        }
    }

    /**
     * Answers from a recent owner when the socket sits on one of its descriptors and every binary
     * involved was hashed before: a netlink query and a handful of small procfs reads, no tree scan
     * and no hashing. Otherwise null.
     */
    @Override
    public CallerIdentity resolveQuickly(InetSocketAddress client, InetSocketAddress proxy) {
        if (!sockets.netlink()) {
            return null;
        }
        long inode = socketInode(client, proxy);
        Lookup lookup = processes.begin();
        try {
            CallerIdentity identity = fromRecentOwner(lookup, client, inode, true);
            if (identity != null) {
                resolves.increment();
                quickAnswers.increment();
            }
            return identity;
        } finally {
            account(lookup);
        }
    }

    /** The connection from {@code client} was closed: its descriptor is a likely place for the next one. */
    @Override
    public void released(InetSocketAddress client) {
        owners.released(client);
    }

    /** Releases the netlink socket and the kept procfs descriptors; later resolutions fail closed. */
    @Override
    public void close() {
        closed = true;
        sockets.close();
        processes.close();
    }

    private long socketInode(InetSocketAddress client, InetSocketAddress proxy) {
        if (closed) {
            throw new IdentityException(
                    ErrorCode.IDENTITY_UNKNOWN, "the caller resolver was closed (the proxy is stopping)");
        }
        return sockets.inode(client, proxy);
    }

    private void account(Lookup lookup) {
        probes.add(lookup.probes);
        listings.add(lookup.listings);
        procCalls.add(lookup.calls());
        processes.end(lookup);
    }

    /**
     * The caller when a recent owner holds the socket and is still the same process (start time)
     * inside the tree; null otherwise (or, when {@code quick}, when a binary would need hashing or
     * the reads allowed on an event loop were spent). Everything but where to look is read afresh.
     */
    private CallerIdentity fromRecentOwner(Lookup lookup, InetSocketAddress client, long inode, boolean quick) {
        try (OwnerSearch search =
                new OwnerSearch(processes, owners, lookup, inode, quick ? QUICK_PROBES : MAX_PROBES)) {
            OwnerSearch.Hit hit = search.find();
            return hit == null ? null : confirm(lookup, hit.view(), hit.plan(), hit.fd(), client, inode, quick);
        }
    }

    private CallerIdentity confirm(
            Lookup lookup,
            ProcessView view,
            RecentOwners.Plan plan,
            int fd,
            InetSocketAddress client,
            long inode,
            boolean quick) {
        IdentityReader.Description d = reader.read(lookup, view, quick, plan.startTime());
        if (d == null) {
            owners.forget(plan.pid(), plan.startTime()); // the pid names another process now
            return null;
        }
        if (d.identity() == null) {
            return null; // left the tree (a scan decides), or a binary needs hashing
        }
        owners.attributed(client, plan.pid(), plan.startTime(), fd, inode);
        return d.identity();
    }

    /** The scan's answer: the owner found in the tree, read through a view that holds the socket. */
    private CallerIdentity fromScan(Lookup lookup, InetSocketAddress client, InetSocketAddress proxy, long inode) {
        scans.increment();
        int[] found = owner(inode, client, proxy);
        int pid = found[0];
        int fd = found[1];
        ProcessView view = processes.open(lookup, pid);
        lookup.probes++;
        if (view != null && view.probe(lookup, fd) != inode) {
            // a kept view of an earlier process with this pid: open the current one
            view.close();
            view = processes.reopen(lookup, pid);
            lookup.probes++;
            if (view != null && view.probe(lookup, fd) != inode) {
                view.close();
                view = null;
            }
        }
        if (view == null) {
            throw new IdentityException(
                    ErrorCode.IDENTITY_UNKNOWN,
                    "pid " + pid + " no longer holds the socket " + SocketInodes.format(client) + " -> "
                            + SocketInodes.format(proxy) + " (exited?)");
        }
        try (ProcessView holder = view) {
            IdentityReader.Description d = reader.read(lookup, holder, false, -1);
            if (d == null || d.identity() == null) {
                throw new IdentityException(
                        ErrorCode.IDENTITY_UNKNOWN,
                        "pid " + pid + " left the process tree of pid " + rootPid.getAsInt());
            }
            owners.attributed(client, pid, d.startTime(), fd, inode);
            return d.identity();
        }
    }

    /** The owning pid (the lowest, when shared through fork) and its descriptor number. */
    private int[] owner(long inode, InetSocketAddress client, InetSocketAddress proxy) {
        List<Integer> candidates;
        try {
            candidates = rootPid.isPresent() ? proc.descendantsOf(rootPid.getAsInt()) : proc.allPids();
        } catch (NoSuchFileException e) {
            throw new IdentityException(
                    ErrorCode.IDENTITY_UNKNOWN, "the sandbox root process " + rootPid.getAsInt() + " has exited", e);
        } catch (IOException e) {
            throw new IdentityException(ErrorCode.IDENTITY_UNKNOWN, "cannot list processes: " + e, e);
        }
        // the lowest pid is the one that created a socket shared through fork
        candidates.sort(null);
        String link = ProcFs.socketLink(inode);
        for (int pid : candidates) {
            int fd = proc.socketFd(pid, link);
            if (fd >= 0) {
                return new int[] {pid, fd};
            }
        }
        throw new IdentityException(
                ErrorCode.IDENTITY_UNKNOWN,
                "socket " + SocketInodes.format(client) + " -> " + SocketInodes.format(proxy) + " (inode " + inode
                        + ") is held by no process "
                        + (rootPid.isPresent() ? "in the process tree of pid " + rootPid.getAsInt() : "on this host")
                        + ": the client exited or passed the socket away");
    }
}
