package dev.openshell.sandbox.net;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One sandbox's network: a named namespace {@code osh-<id>} (its file {@link #namespaceFile()} is
 * what the launcher enters), a veth pair {@code osh<N>h}/{@code osh<N>s} on the sandbox's {@link
 * Subnet}, no IPv6 address on either end, a default route via the host side, {@code lo} up, and the
 * {@link SandboxFirewall} table in the host namespace. The proxy listens on {@link #explicitProxyAddress()} and {@link
 * #transparentProxyAddress()}; nothing else is reachable, and a bypass fails at once.
 *
 * <p>{@link #create} first reclaims stale networks (whose owner died without tearing down, e.g.
 * after {@code kill -9}); {@link #close()} removes everything it made. Requires root, {@code ip} and
 * {@code nft}.
 */
public final class SandboxNetwork implements AutoCloseable {

    /** Where claims live; every process on the host must share it. */
    public static final Path DEFAULT_STATE_DIR = Path.of("/run/openshell/net");

    private static final Path NETNS_DIR = Path.of("/var/run/netns");
    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

    private enum Resource {
        NAMESPACE,
        FIREWALL,
        VETH
    }

    private final SubnetClaim claim;
    private final ProxyPorts ports;
    private final SubnetAllocator allocator;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SandboxNetwork(SubnetClaim claim, ProxyPorts ports, SubnetAllocator allocator) {
        this.claim = claim;
        this.ports = ports;
        this.allocator = allocator;
    }

    /** Creates the network for {@code sandboxId} with claims under {@link #DEFAULT_STATE_DIR}. */
    public static SandboxNetwork create(String sandboxId, ProxyPorts ports) {
        return create(sandboxId, ports, DEFAULT_STATE_DIR);
    }

    /**
     * Creates the network for {@code sandboxId}, owned by this process. Fails if a namespace of that
     * id exists; on any failure, removes what it created and releases the subnet.
     */
    public static SandboxNetwork create(String sandboxId, ProxyPorts ports, Path stateDir) {
        SubnetClaim.requireValidId(sandboxId);
        unavailableReason().ifPresent(reason -> {
            throw new NetworkException(ErrorCode.NETWORK_UNAVAILABLE, "cannot create sandbox networks: " + reason);
        });
        reclaimStale(stateDir);
        SubnetAllocator allocator = new SubnetAllocator(stateDir);
        return create(allocator, allocator.claim(sandboxId), ports);
    }

    /** Builds the network for a claim already made; tests use it to fake claims of dead owners. */
    static SandboxNetwork create(SubnetAllocator allocator, SubnetClaim claim, ProxyPorts ports) {
        Set<Resource> created = EnumSet.noneOf(Resource.class);
        try {
            build(claim, ports, created);
        } catch (RuntimeException e) {
            List<RuntimeException> cleanup = new ArrayList<>();
            attempt(cleanup, () -> remove(claim, created));
            attempt(cleanup, () -> allocator.release(claim));
            cleanup.forEach(e::addSuppressed);
            throw e;
        }
        return new SandboxNetwork(claim, ports, allocator);
    }

    /**
     * Tears down every claimed network whose owner process is gone and releases its subnet.
     *
     * @return the reclaimed claims
     */
    public static List<SubnetClaim> reclaimStale(Path stateDir) {
        return removeClaims(stateDir, true);
    }

    /**
     * Tears down every network claimed under {@code stateDir}, live or not, and deletes leftover
     * temporary files: for tests and {@code openshell cleanup}.
     *
     * @return the removed claims
     */
    public static List<SubnetClaim> cleanupAll(Path stateDir) {
        return removeClaims(stateDir, false);
    }

    /** Why sandbox networks cannot be created here (not root, {@code ip} or {@code nft} missing). */
    public static Optional<String> unavailableReason() {
        if (!isRoot()) {
            return Optional.of("not running as root");
        }
        for (String tool : List.of("ip", "nft")) {
            if (!HostCommand.available(tool)) {
                return Optional.of("`" + tool + "` not found (apt-get install -y iproute2 nftables)");
            }
        }
        return Optional.empty();
    }

    public String sandboxId() {
        return claim.sandboxId();
    }

    public Subnet subnet() {
        return claim.subnet();
    }

    public ProxyPorts ports() {
        return ports;
    }

    /** {@code osh-<id>}, for {@code ip netns exec}. */
    public String namespaceName() {
        return namespaceName(claim.sandboxId());
    }

    /** {@code /var/run/netns/osh-<id>}, for the launcher's {@code --netns}. */
    public Path namespaceFile() {
        return NETNS_DIR.resolve(namespaceName());
    }

    /** The nft table in the host namespace: {@code inet osh_<id>}. */
    public String tableName() {
        return SandboxFirewall.tableName(claim.sandboxId());
    }

    /** Where the proxy must listen for the agent's {@code HTTP(S)_PROXY} traffic. */
    public InetSocketAddress explicitProxyAddress() {
        return new InetSocketAddress(claim.subnet().hostAddress(), ports.explicit());
    }

    /** Where the proxy must listen for redirected connections. */
    public InetSocketAddress transparentProxyAddress() {
        return new InetSocketAddress(claim.subnet().hostAddress(), ports.transparent());
    }

    /** The agent's proxy URL, e.g. {@code http://10.200.0.1:3128}. */
    public String proxyUrl() {
        return "http://" + claim.subnet().hostAddress().getHostAddress() + ":" + ports.explicit();
    }

    /** The firewall's counters: bypass attempts to report as findings. */
    public FirewallCounters counters() {
        return SandboxFirewall.parseCounters(HostCommand.run("nft", "list", "counters", "table", "inet", tableName()));
    }

    /** Removes the namespace, veth, table and claim; does nothing the second time. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            remove(claim, EnumSet.allOf(Resource.class));
            allocator.release(claim);
        }
    }

    @Override
    public String toString() {
        return "SandboxNetwork[" + claim.sandboxId() + " " + claim.subnet().cidr() + " " + namespaceName() + "]";
    }

    private static void build(SubnetClaim claim, ProxyPorts ports, Set<Resource> created) {
        String namespace = namespaceName(claim.sandboxId());
        Subnet subnet = claim.subnet();
        String host = subnet.hostAddress().getHostAddress();
        String prefix = "/" + Subnet.PREFIX_LENGTH;
        // One process per namespace side: under load every exec of `ip` costs tens of ms. The
        // namespace file is created with O_EXCL, so line 1 also keeps two sandboxes off one id.
        try {
            HostCommand.run(
                    List.of("ip", "-batch", "-"),
                    "netns add " + namespace + "\n"
                            + "link add " + subnet.hostInterface() + " type veth peer name " + subnet.sandboxInterface()
                            + " netns " + namespace + "\n"
                            + "addr add " + host + prefix + " dev " + subnet.hostInterface() + "\n"
                            + "link set " + subnet.hostInterface() + " addrgenmode none\n"
                            + "link set " + subnet.hostInterface() + " up\n");
            created.addAll(EnumSet.of(Resource.NAMESPACE, Resource.VETH));
        } catch (NetworkException e) {
            int failedLine = HostCommand.failedBatchLine(e);
            if (failedLine > 1) {
                created.add(Resource.NAMESPACE);
            }
            if (failedLine > 2) {
                created.add(Resource.VETH);
            }
            throw e;
        }
        created.add(Resource.FIREWALL);
        HostCommand.run(List.of("nft", "-f", "-"), SandboxFirewall.ruleset(claim.sandboxId(), subnet, ports));
        // The sandbox end comes up only now, so no packet ever crosses the veth unfiltered. Neither end
        // gets an IPv6 address (addrgenmode none, set while the link is down): the sandbox has no
        // IPv6 route out, so an IPv6 connection fails at once (ENETUNREACH) instead of waiting for
        // neighbour discovery that the firewall rejects; the agent (no CAP_NET_ADMIN) cannot undo it.
        HostCommand.run(
                List.of("ip", "-netns", namespace, "-batch", "-"),
                "link set lo up\n"
                        + "addr add " + subnet.sandboxAddress().getHostAddress() + prefix + " dev "
                        + subnet.sandboxInterface() + "\n"
                        + "link set " + subnet.sandboxInterface() + " addrgenmode none\n"
                        + "link set " + subnet.sandboxInterface() + " up\n"
                        + "route add default via " + host + "\n");
    }

    /** Removes what exists of {@code which}; every step runs, the first failure is thrown. */
    private static void remove(SubnetClaim claim, Set<Resource> which) {
        List<RuntimeException> failures = new ArrayList<>();
        Subnet subnet = claim.subnet();
        String namespace = namespaceName(claim.sandboxId());
        StringBuilder batch = new StringBuilder();
        // Deleting the host end deletes its peer even if a process still holds the namespace open.
        if (which.contains(Resource.VETH) && Files.exists(SYS_CLASS_NET.resolve(subnet.hostInterface()))) {
            batch.append("link delete ").append(subnet.hostInterface()).append('\n');
        }
        if (which.contains(Resource.NAMESPACE) && Files.exists(NETNS_DIR.resolve(namespace))) {
            batch.append("netns delete ").append(namespace).append('\n');
        }
        if (!batch.isEmpty()) {
            attempt(failures, () -> HostCommand.run(List.of("ip", "-force", "-batch", "-"), batch.toString()));
        }
        if (which.contains(Resource.FIREWALL)) {
            attempt(
                    failures,
                    () -> HostCommand.run(List.of("nft", "-f", "-"), SandboxFirewall.deletion(claim.sandboxId())));
        }
        throwFirst(failures);
    }

    private static List<SubnetClaim> removeClaims(Path stateDir, boolean onlyStale) {
        SubnetAllocator allocator = new SubnetAllocator(stateDir);
        if (!Files.isDirectory(allocator.stateDir())) {
            return List.of();
        }
        return allocator.exclusively(() -> {
            List<SubnetClaim> removed = new ArrayList<>();
            List<RuntimeException> failures = new ArrayList<>();
            for (SubnetClaim claim : allocator.claims()) {
                if (!onlyStale || !claim.ownerAlive()) {
                    attempt(failures, () -> {
                        remove(claim, EnumSet.allOf(Resource.class));
                        allocator.release(claim);
                        removed.add(claim);
                    });
                }
            }
            if (!onlyStale) {
                attempt(failures, allocator::deleteLeftoverTemporaries);
            }
            throwFirst(failures);
            return List.copyOf(removed);
        });
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    private static void throwFirst(List<RuntimeException> failures) {
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static String namespaceName(String sandboxId) {
        return "osh-" + sandboxId;
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
