package dev.openshell.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ErrorCode;
import dev.openshell.testkit.Require;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real namespaces, veths and nft tables (root). Every packet stays on the test's own veths: TCP to
 * outside addresses is redirected to the stand-in proxy on the host side, and everything else is
 * rejected before it could be routed.
 */
@RequiresRoot
@RequiresTool({"ip", "nft", "curl"})
class SandboxNetworkIT {

    private static final Duration FAST = Duration.ofSeconds(3);

    private static EventLoopGroup group;

    private Path stateDir;
    private final List<SandboxNetwork> networks = new ArrayList<>();
    private final List<ProxyStandIn> proxies = new ArrayList<>();

    @BeforeAll
    static void requireCapabilities() {
        Require.that(Epoll.isAvailable(), "needs Netty epoll: " + Epoll.unavailabilityCause());
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @BeforeEach
    void createStateDir() throws IOException {
        stateDir = Files.createDirectories(Path.of("/run/openshell-it/net-" + UUID.randomUUID()));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ProxyStandIn proxy : proxies) {
            proxy.close();
        }
        for (SandboxNetwork network : networks) {
            network.close();
        }
        SandboxNetwork.cleanupAll(stateDir);
        for (SandboxNetwork network : networks) {
            assertNothingLeft(network.sandboxId(), network.subnet());
        }
        try (var files = Files.list(stateDir)) {
            assertThat(files.map(Path::getFileName).map(Path::toString))
                    .as("claims left in " + stateDir)
                    .allMatch(name -> name.equals("reclaim.mutex"));
        }
        Files.deleteIfExists(stateDir.resolve("reclaim.mutex"));
        Files.delete(stateDir);
    }

    @Test
    void explicitPortReachesTheProxy() throws Exception {
        SandboxNetwork network = create();
        ProxyStandIn proxy = standIn(network);

        InNamespace curl = InNamespace.run(network.namespaceName(), "curl", "-sS", "-m", "5", network.proxyUrl());

        assertThat(curl.exitCode()).as(curl.toString()).isZero();
        assertThat(curl.stdout()).isEqualTo("explicit");
        assertThat(proxy.sawNoRedirect()).isTrue();
        assertThat(network.namespaceFile()).exists();
        assertThat(network.namespaceFile().toString()).isEqualTo("/var/run/netns/osh-" + network.sandboxId());
    }

    @Test
    void bypassIsRedirectedToTheTransparentPortWithItsOriginalDestination() throws Exception {
        SandboxNetwork network = create();
        ProxyStandIn proxy = standIn(network);

        InNamespace curl =
                InNamespace.run(network.namespaceName(), "curl", "-sS", "-m", "5", "--noproxy", "*", "http://1.1.1.1/");
        assertThat(curl.exitCode()).as(curl.toString()).isZero();
        assertThat(curl.stdout()).isEqualTo("transparent");
        assertThat(proxy.nextOriginalDestination()).isEqualTo(new InetSocketAddress("1.1.1.1", 80));

        InNamespace python = InNamespace.run(
                network.namespaceName(),
                InNamespace.PYTHON,
                "-c",
                "import socket; socket.create_connection(('10.1.2.3', 8443), timeout=5).recv(1)");
        assertThat(python.exitCode()).as(python.toString()).isZero();
        assertThat(proxy.nextOriginalDestination()).isEqualTo(new InetSocketAddress("10.1.2.3", 8443));
        assertThat(network.counters()).isEqualTo(new FirewallCounters(2, 0, 0, 0));
    }

    @Test
    void udpAndDnsAreRejectedFast() {
        SandboxNetwork network = create();
        String hostSide = network.subnet().hostAddress().getHostAddress();

        for (String target : List.of("8.8.8.8", hostSide)) {
            InNamespace udp = InNamespace.run(network.namespaceName(), InNamespace.PYTHON, "-c", """
                    import socket
                    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    s.settimeout(10)
                    s.connect(('%s', 53))
                    s.send(b'query')
                    try:
                        s.recv(512)
                        print('answered')
                    except ConnectionRefusedError:
                        print('refused')
                    """.formatted(target));
            assertThat(udp.stdout().strip()).as(udp.toString()).isEqualTo("refused");
            assertThat(udp.took()).as(udp.toString()).isLessThan(FAST);
        }

        InNamespace dns = InNamespace.run(network.namespaceName(), "getent", "hosts", "example.com");
        assertThat(dns.exitCode()).as(dns.toString()).isNotZero();
        assertThat(dns.took()).as(dns.toString()).isLessThan(FAST);
        assertThat(network.counters().rejectedUdpPackets()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void otherPortsOnTheHostSideFailFast() throws Exception {
        SandboxNetwork network = create();
        ProxyStandIn proxy = standIn(network);
        String hostSide = network.subnet().hostAddress().getHostAddress();

        // 22: a host service; the transparent port: only reachable through the redirect.
        for (int port : List.of(22, network.ports().transparent())) {
            InNamespace curl = InNamespace.run(
                    network.namespaceName(), "curl", "-sS", "-m", "10", "http://" + hostSide + ":" + port + "/");
            assertThat(curl.exitCode()).as(curl.toString()).isEqualTo(7);
            assertThat(curl.stderr()).contains("Couldn't connect");
            assertThat(curl.took()).as(curl.toString()).isLessThan(FAST);
        }
        assertThat(proxy.sawNoRedirect()).isTrue();
        FirewallCounters counters = network.counters();
        assertThat(counters.rejectedTcpPackets()).isGreaterThanOrEqualTo(2);
        assertThat(counters.redirectedConnections()).isZero();
    }

    @Test
    void rootInsideTheSandboxCannotSeeOrFlushTheFirewall() throws Exception {
        SandboxNetwork network = create();
        ProxyStandIn proxy = standIn(network);

        InNamespace list = InNamespace.run(network.namespaceName(), "nft", "list", "ruleset");
        InNamespace flush = InNamespace.run(network.namespaceName(), "nft", "flush", "ruleset");
        InNamespace curl =
                InNamespace.run(network.namespaceName(), "curl", "-sS", "-m", "5", "--noproxy", "*", "http://1.1.1.1/");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout()).doesNotContain("osh_");
        assertThat(flush.exitCode()).as(flush.toString()).isZero();
        assertThat(tables()).contains("table inet " + network.tableName());
        assertThat(curl.stdout()).as(curl.toString()).isEqualTo("transparent");
        assertThat(proxy.nextOriginalDestination()).isEqualTo(new InetSocketAddress("1.1.1.1", 80));
    }

    @Test
    void tenNetworksAtOnceGetDistinctSubnetsAndAllWork() throws Exception {
        List<SandboxNetwork> ten = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            List<Future<SandboxNetwork>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(pool.submit(() -> SandboxNetwork.create(uniqueId(), ProxyPorts.DEFAULT, stateDir)));
            }
            for (Future<SandboxNetwork> future : futures) {
                SandboxNetwork network = future.get();
                networks.add(network);
                ten.add(network);
            }
        }
        assertThat(ten.stream().map(SandboxNetwork::subnet).collect(Collectors.toSet()))
                .hasSize(10);
        for (SandboxNetwork network : ten) {
            standIn(network);
        }

        for (SandboxNetwork network : ten) {
            InNamespace curl = InNamespace.run(network.namespaceName(), "curl", "-sS", "-m", "5", network.proxyUrl());
            assertThat(curl.stdout()).as(network + ": " + curl).isEqualTo("explicit");
        }
        // A sandbox reaching for its neighbour's agent is captured by its own proxy.
        SandboxNetwork first = ten.get(0);
        String neighbour = ten.get(1).subnet().sandboxAddress().getHostAddress();
        InNamespace probe = InNamespace.run(
                first.namespaceName(), "curl", "-sS", "-m", "5", "--noproxy", "*", "http://" + neighbour + ":8080/");
        assertThat(probe.stdout()).as(probe.toString()).isEqualTo("transparent");
        assertThat(proxies.get(0).nextOriginalDestination()).isEqualTo(new InetSocketAddress(neighbour, 8080));

        closeAll();
        for (SandboxNetwork network : ten) {
            assertNothingLeft(network.sandboxId(), network.subnet());
        }
    }

    @Test
    void teardownLeavesNothingAndIsIdempotent() {
        List<Long> setups = new ArrayList<>();
        List<Long> teardowns = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            long started = System.nanoTime();
            SandboxNetwork network = create();
            long created = System.nanoTime();
            assertThat(namespaces()).contains(network.namespaceName());
            assertThat(links()).contains(network.subnet().hostInterface());
            assertThat(tables()).contains("table inet " + network.tableName());

            network.close();
            long closed = System.nanoTime();
            network.close();

            assertNothingLeft(network.sandboxId(), network.subnet());
            setups.add((created - started) / 1_000_000);
            teardowns.add((closed - created) / 1_000_000);
        }
        System.out.printf(
                "SandboxNetworkIT: one network, 5 rounds (ms): setup %s, teardown %s; load average %s%n",
                setups, teardowns, loadAverage());
    }

    @Test
    void sameIdTwiceIsRefusedWithoutHarmingTheFirst() throws Exception {
        SandboxNetwork network = create();
        standIn(network);

        try {
            SandboxNetwork.create(network.sandboxId(), ProxyPorts.DEFAULT, stateDir);
            throw new AssertionError("a second network with the same id was created");
        } catch (NetworkException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_COMMAND_FAILED);
            assertThat(e.getMessage())
                    .startsWith("`ip -batch -` failed: line 1 `netns add osh-" + network.sandboxId() + "`, exit 1:")
                    .contains("File exists");
        }

        assertThat(new SubnetAllocator(stateDir).claims()).containsExactly(claimOf(network));
        InNamespace curl = InNamespace.run(network.namespaceName(), "curl", "-sS", "-m", "5", network.proxyUrl());
        assertThat(curl.stdout()).as(curl.toString()).isEqualTo("explicit");
    }

    @Test
    void claimOfADeadOwnerIsReclaimed() {
        SandboxNetwork live = create();
        SubnetAllocator allocator = new SubnetAllocator(stateDir);
        SubnetClaim claim = allocator.claim(uniqueId(), SubnetAllocatorTest.DEAD_PID, 0);
        SandboxNetwork network = SandboxNetwork.create(allocator, claim, ProxyPorts.DEFAULT);
        assertThat(namespaces()).contains(network.namespaceName());

        List<SubnetClaim> reclaimed = SandboxNetwork.reclaimStale(stateDir);

        assertThat(reclaimed).containsExactly(claim);
        assertNothingLeft(claim.sandboxId(), claim.subnet());
        assertThat(allocator.claims()).containsExactly(claimOf(live));
        assertThat(namespaces()).contains(live.namespaceName());
    }

    @Test
    void networkOfAKilledSupervisorIsReclaimedByTheNextStart() throws Exception {
        String id = uniqueId();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process owner = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        StaleOwner.class.getName(),
                        id,
                        stateDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Subnet subnet;
        try {
            String ready;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
                ready = out.readLine();
            }
            assertThat(ready).as("the owner process started its network").startsWith("ready ");
            subnet = new Subnet(Integer.parseInt(ready.substring("ready ".length())));
            assertThat(namespaces()).contains("osh-" + id);
        } finally {
            owner.destroyForcibly().waitFor(); // SIGKILL: no teardown runs
        }
        assertThat(namespaces()).contains("osh-" + id);
        SandboxNetwork next = create();

        assertNothingLeft(id, subnet);
        assertThat(new SubnetAllocator(stateDir).claims()).containsExactly(claimOf(next));
    }

    @Test
    void cleanupAllRemovesLiveNetworksToo() {
        SandboxNetwork a = create();
        SandboxNetwork b = create();

        List<SubnetClaim> removed = SandboxNetwork.cleanupAll(stateDir);

        assertThat(removed).containsExactlyInAnyOrder(claimOf(a), claimOf(b));
        assertNothingLeft(a.sandboxId(), a.subnet());
        assertNothingLeft(b.sandboxId(), b.subnet());
    }

    private SandboxNetwork create() {
        SandboxNetwork network = SandboxNetwork.create(uniqueId(), ProxyPorts.DEFAULT, stateDir);
        networks.add(network);
        return network;
    }

    private ProxyStandIn standIn(SandboxNetwork network) throws IOException, InterruptedException {
        ProxyStandIn proxy = new ProxyStandIn(network, group);
        proxies.add(proxy);
        return proxy;
    }

    private void closeAll() throws Exception {
        for (ProxyStandIn proxy : proxies) {
            proxy.close();
        }
        proxies.clear();
        for (SandboxNetwork network : networks) {
            network.close();
        }
    }

    private static SubnetClaim claimOf(SandboxNetwork network) {
        ProcessHandle self = ProcessHandle.current();
        return new SubnetClaim(network.subnet(), network.sandboxId(), self.pid(), SubnetClaim.startMillis(self));
    }

    private static String uniqueId() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Namespace, host-side veth, table and claim are gone (a reused subnet must be someone else's). */
    private void assertNothingLeft(String sandboxId, Subnet subnet) {
        assertThat(namespaces()).doesNotContain("osh-" + sandboxId);
        assertThat(tables()).doesNotContain("table inet osh_" + sandboxId);
        assertThat(new SubnetAllocator(stateDir).claims())
                .noneMatch(claim -> claim.sandboxId().equals(sandboxId));
        if (links().contains(subnet.hostInterface())) {
            assertThat(new SubnetAllocator(stateDir).claims())
                    .as(subnet.hostInterface() + " still exists; it must belong to a newer claim")
                    .anyMatch(claim -> claim.subnet().equals(subnet));
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<String> namespaces() {
        return InNamespace.runOnHost(List.of("ip", "netns", "list"))
                .stdout()
                .lines()
                .map(line -> line.split(" ")[0])
                .toList();
    }

    private static List<String> links() {
        return InNamespace.runOnHost(List.of("ip", "-o", "link", "show"))
                .stdout()
                .lines()
                .map(line -> line.split(":")[1].strip().split("@")[0])
                .toList();
    }

    private static List<String> tables() {
        return InNamespace.runOnHost(List.of("nft", "list", "tables"))
                .stdout()
                .lines()
                .toList();
    }
}
