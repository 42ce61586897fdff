package dev.openshell.sandbox.proxy.transparent;

import static org.awaitility.Awaitility.await;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.sandbox.net.FakeInternet;
import dev.openshell.sandbox.net.InNamespace;
import dev.openshell.sandbox.net.ProxyPorts;
import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.proxy.EgressProxy;
import dev.openshell.sandbox.proxy.ProxyConfig;
import dev.openshell.sandbox.proxy.TestCa;
import dev.openshell.sandbox.proxy.TestUpstream;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import dev.openshell.sandbox.proxy.log.DecisionRecord;
import dev.openshell.testkit.Require;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What {@link TransparentCaptureIT} runs against (root): a sandbox network whose firewall redirects
 * every TCP connection that ignores the proxy to the proxy's transparent listener, an HTTP and an
 * HTTPS test server on {@value #UPSTREAM} (in a {@link FakeInternet}), and the proxy, whose resolver knows
 * the true answers for the test names. Programs run inside the namespace; the test JVM is the root of
 * their process tree.
 */
final class CaptureSandbox implements AutoCloseable {

    static final String UPSTREAM = "10.97.0.1";
    /** An address no test name resolves to (never added anywhere: nothing may connect to it). */
    static final String ELSEWHERE = "10.97.0.2";

    static final String POLICY = """
            version: 1
            network_policies:
              captured:
                endpoints:
                  - {host: api.test, port: HTTPS_PORT, protocol: rest, access: read-only, allowed_ips: [10.97.0.0/24]}
                  - {host: api.test, port: HTTP_PORT, protocol: rest, access: read-only, allowed_ips: [10.97.0.0/24]}
                  - {host: raw.test, port: HTTPS_PORT, allowed_ips: [10.97.0.0/24]}
                  - {host: plain.test, port: HTTP_PORT, allowed_ips: [10.97.0.0/24]}
                binaries: [{path: /usr/bin/curl}]
            """;

    private static final Map<String, String> DNS =
            Map.of("api.test", UPSTREAM, "raw.test", UPSTREAM, "plain.test", UPSTREAM, "denied.test", UPSTREAM);

    /** Every decision the proxy logged. */
    final ConcurrentLinkedQueue<DecisionRecord> log = new ConcurrentLinkedQueue<>();
    /** Lookups the proxy made, by name. */
    final Map<String, java.util.concurrent.atomic.AtomicInteger> lookups =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Client addresses the proxy told the caller resolver it closed. */
    final ConcurrentLinkedQueue<InetSocketAddress> released = new ConcurrentLinkedQueue<>();

    private FakeInternet internet;
    TestUpstream http;
    TestUpstream https;
    private Path dir;
    private Path stateDir;
    SandboxNetwork network;
    private Process anchor;
    EgressProxy proxy;
    /** The upstream CA alone: trusting only it proves the proxy did not terminate TLS. */
    Path upstreamCaPem;
    /** The sandbox CA and the upstream CA, for requests the proxy inspects. */
    Path bothCas;
    /** The real path of {@code /usr/bin/python3}, as the proxy identifies it. */
    String python;

    /** The transparent listener needs Netty's epoll transport (IP_TRANSPARENT, SO_ORIGINAL_DST). */
    static void requireEpoll() {
        Require.that(Epoll.isAvailable(), "needs Netty epoll: " + Epoll.unavailabilityCause());
    }

    /** Sets everything up; whatever was made before a failure is removed again. */
    CaptureSandbox() throws Exception {
        try {
            python = Path.of("/usr/bin/python3").toRealPath().toString();
            internet = FakeInternet.open();
            internet.address(UPSTREAM);
            TestCa upstreamCa = new TestCa("transparent IT upstream CA");
            http = internet.inside(() -> new TestUpstream(UPSTREAM, null));
            https = internet.inside(() -> new TestUpstream(UPSTREAM, upstreamCa.serverContext("api.test", "raw.test")));
            dir = Files.createTempDirectory("transparent-it");
            upstreamCaPem = upstreamCa.writePem(dir.resolve("upstream-ca.pem"));
            stateDir = Files.createDirectories(Path.of("/run/openshell-it/net-" + UUID.randomUUID()));
            network = SandboxNetwork.create(
                    "tp-" + UUID.randomUUID().toString().substring(0, 8), ProxyPorts.DEFAULT, stateDir);
            // `ip netns exec` execs sleep: its pid is in the sandbox namespace for as long as the tests run.
            anchor = new ProcessBuilder("ip", "netns", "exec", network.namespaceName(), "sleep", "600").start();
            ProcCallerResolver callers = ProcCallerResolver.forNamespaceOf(
                    (int) anchor.pid(), (int) ProcessHandle.current().pid());
            proxy = new EgressProxy(ProxyConfig.builder(network.sandboxId(), new Watched(callers), compile(POLICY), 1)
                            .bind(network.explicitProxyAddress())
                            .transparentBind(network.transparentProxyAddress())
                            .hostResolver(this::resolve)
                            .trustDir(dir.resolve("trust"))
                            .extraUpstreamCa(upstreamCaPem)
                            .sink(log::add)
                            .build())
                    .start();
            bothCas = dir.resolve("both.pem");
            Files.writeString(bothCas, Files.readString(proxy.trustBundle().caPem()) + Files.readString(upstreamCaPem));
        } catch (Exception e) {
            try {
                close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The test's policy with this run's ports filled in. */
    CompiledPolicy compile(String yaml) {
        String text = yaml.replace("HTTPS_PORT", String.valueOf(https.port()))
                .replace("HTTP_PORT", String.valueOf(http.port()));
        return PolicyEngine.compile(PolicyParser.parse(text), PolicyEngine.Options.resolvingHostSymlinks());
    }

    /** curl in the sandbox, ignoring any proxy setting (so that its connections are captured). */
    InNamespace curl(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "10", "--noproxy", "*"));
        command.addAll(List.of(args));
        return inSandbox(command.toArray(String[]::new));
    }

    InNamespace inSandbox(String... command) {
        return InNamespace.run(network.namespaceName(), command);
    }

    /** The first logged record matching {@code match}; rejections are logged once the caller is known. */
    DecisionRecord awaitRecord(Predicate<DecisionRecord> match) {
        await("a matching decision record in " + log)
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> log.stream().anyMatch(match));
        return log.stream()
                .filter(match)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no matching decision record in " + log));
    }

    /** How often the proxy looked {@code name} up. */
    int lookupsOf(String name) {
        var n = lookups.get(name);
        return n == null ? 0 : n.get();
    }

    private List<InetAddress> resolve(String host) throws UnknownHostException {
        lookups.computeIfAbsent(host, h -> new java.util.concurrent.atomic.AtomicInteger())
                .incrementAndGet();
        String address = DNS.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.ofLiteral(address));
    }

    @Override
    public void close() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (anchor != null) {
            anchor.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (network != null) {
            network.close();
        }
        if (stateDir != null) {
            SandboxNetwork.cleanupAll(stateDir);
            deleteTree(stateDir);
        }
        if (https != null) {
            https.close();
        }
        if (http != null) {
            http.close();
        }
        if (internet != null) {
            internet.close();
        }
        if (dir != null) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** The real resolver, recording {@link CallerResolver#released} calls. */
    private final class Watched implements CallerResolver {
        private final ProcCallerResolver callers;

        Watched(ProcCallerResolver callers) {
            this.callers = callers;
        }

        @Override
        public CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy) {
            return callers.resolve(client, proxy);
        }

        @Override
        public void released(InetSocketAddress client) {
            released.add(client);
            callers.released(client);
        }

        @Override
        public void close() {
            callers.close();
        }
    }
}
