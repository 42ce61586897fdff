package dev.openshell.sandbox.proxy.transparent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.openshell.policy.CompiledPolicy;
import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.sandbox.net.InNamespace;
import dev.openshell.sandbox.net.ProxyPorts;
import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.proxy.EgressProxy;
import dev.openshell.sandbox.proxy.LoopbackAliases;
import dev.openshell.sandbox.proxy.ProxyConfig;
import dev.openshell.sandbox.proxy.ReloadResult;
import dev.openshell.sandbox.proxy.TestCa;
import dev.openshell.sandbox.proxy.TestUpstream;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import dev.openshell.sandbox.proxy.log.DecisionRecord;
import io.netty.channel.epoll.Epoll;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real thing (root): a sandbox network whose firewall redirects every TCP connection that
 * ignores the proxy to the proxy's transparent listener; programs inside the namespace connect
 * "directly" to test servers on {@value #UPSTREAM} (added to {@code lo}), named through curl's
 * {@code --resolve}, while the proxy's resolver knows the true answers.
 */
class TransparentCaptureIT {

    private static final String UPSTREAM = "10.97.0.1";
    /** An address no test name resolves to (never added anywhere: nothing may connect to it). */
    private static final String ELSEWHERE = "10.97.0.2";

    private static final Duration FAST = Duration.ofSeconds(3);
    private static final Map<String, String> DNS =
            Map.of("api.test", UPSTREAM, "raw.test", UPSTREAM, "plain.test", UPSTREAM, "denied.test", UPSTREAM);

    private static final String POLICY = """
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

    private static final ConcurrentLinkedQueue<DecisionRecord> log = new ConcurrentLinkedQueue<>();
    /** Client addresses the proxy told the resolver it closed. */
    private static final ConcurrentLinkedQueue<InetSocketAddress> released = new ConcurrentLinkedQueue<>();

    private static LoopbackAliases aliases;
    private static TestUpstream http;
    private static TestUpstream https;
    private static Path dir;
    private static Path stateDir;
    private static SandboxNetwork network;
    private static Process anchor;
    private static EgressProxy proxy;
    private static Path bothCas;
    private static Path upstreamCaPem;
    private static String python;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> reason = SandboxNetwork.unavailableReason();
        reason.ifPresent(r -> System.out.println("TransparentCaptureIT skipped: " + r));
        assumeThat(reason).as("sandbox networks need root, ip and nft").isEmpty();
        assumeThat(Epoll.isAvailable())
                .as("Netty epoll: " + Epoll.unavailabilityCause())
                .isTrue();
        assumeThat(Files.isExecutable(Path.of("/usr/bin/curl")))
                .as("/usr/bin/curl is needed")
                .isTrue();
        assumeThat(Files.isExecutable(Path.of("/usr/bin/python3")))
                .as("/usr/bin/python3 is needed")
                .isTrue();
        python = Path.of("/usr/bin/python3").toRealPath().toString();

        aliases = new LoopbackAliases();
        aliases.add(UPSTREAM);
        TestCa upstreamCa = new TestCa("transparent IT upstream CA");
        http = new TestUpstream(UPSTREAM, null);
        https = new TestUpstream(UPSTREAM, upstreamCa.serverContext("api.test", "raw.test"));
        dir = Files.createTempDirectory("transparent-it");
        upstreamCaPem = upstreamCa.writePem(dir.resolve("upstream-ca.pem"));
        stateDir = Files.createDirectories(Path.of("/run/openshell-it/net-" + UUID.randomUUID()));
        network = SandboxNetwork.create(
                "tp-" + UUID.randomUUID().toString().substring(0, 8), ProxyPorts.DEFAULT, stateDir);
        // `ip netns exec` execs sleep: its pid is in the sandbox namespace for as long as the tests run.
        anchor = new ProcessBuilder("ip", "netns", "exec", network.namespaceName(), "sleep", "600").start();
        // The test JVM is the root of the tree the callers (curl, python3) belong to.
        ProcCallerResolver callers = ProcCallerResolver.forNamespaceOf(
                (int) anchor.pid(), (int) ProcessHandle.current().pid());
        CallerResolver watched = new CallerResolver() {
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
        };
        proxy = new EgressProxy(ProxyConfig.builder(network.sandboxId(), watched, compile(POLICY), 1)
                        .bind(network.explicitProxyAddress())
                        .transparentBind(network.transparentProxyAddress())
                        .hostResolver(TransparentCaptureIT::resolve)
                        .trustDir(dir.resolve("trust"))
                        .extraUpstreamCa(upstreamCaPem)
                        .sink(log::add)
                        .build())
                .start();
        bothCas = dir.resolve("both.pem");
        Files.writeString(bothCas, Files.readString(proxy.trustBundle().caPem()) + Files.readString(upstreamCaPem));
    }

    @AfterAll
    static void stop() throws Exception {
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
            try (var files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (https != null) {
            https.close();
        }
        if (http != null) {
            http.close();
        }
        if (aliases != null) {
            aliases.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void clearLog() {
        log.clear();
        released.clear();
    }

    @Test
    void tlsToARestEndpointIsInspectedPerRequest() {
        InNamespace get = curl(
                "--cacert",
                bothCas.toString(),
                "--resolve",
                "api.test:" + https.port() + ":" + UPSTREAM,
                "https://api.test:" + https.port() + "/repos");
        InNamespace post = curl(
                "--cacert",
                bothCas.toString(),
                "--resolve",
                "api.test:" + https.port() + ":" + UPSTREAM,
                "-X",
                "POST",
                "-d",
                "x=1",
                "https://api.test:" + https.port() + "/repos");

        assertThat(get.stdout()).as(get.toString()).isEqualTo("GET /repos body=0\n");
        assertThat(post.stdout())
                .as(post.toString())
                .contains(
                        "\"error\":\"policy_denied\"", "\"layer\":\"l7\"", "\"method\":\"POST\"", "access: read-only");
        assertThat(post.took()).isLessThan(FAST);
        assertThat(https.requests).noneMatch(line -> line.startsWith("POST /repos"));
        DecisionRecord admitted = awaitRecord(r -> "api.test".equals(r.host()) && "l4".equals(r.layer()));
        assertThat(admitted.verdict()).isEqualTo("allow");
        assertThat(admitted.rule()).startsWith("transparent");
        assertThat(admitted.binary()).isEqualTo("/usr/bin/curl");
        assertThat(admitted.mode()).isEqualTo("transparent");
        assertThat(awaitRecord(r -> "POST".equals(r.method())))
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("deny"))
                .satisfies(r -> assertThat(r.layer()).isEqualTo("l7"))
                .satisfies(r -> assertThat(r.mode()).isEqualTo("transparent"));
    }

    @Test
    void tlsToAnL4EndpointIsRelayedUntouchedToTheOriginalDestination() {
        // Trusting only the upstream CA proves the proxy did not terminate TLS.
        InNamespace get = curl(
                "--cacert",
                upstreamCaPem.toString(),
                "--resolve",
                "raw.test:" + https.port() + ":" + UPSTREAM,
                "https://raw.test:" + https.port() + "/raw");

        assertThat(get.stdout()).as(get.toString()).isEqualTo("GET /raw body=0\n");
        assertThat(awaitRecord(r -> "raw.test".equals(r.host())))
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("allow"))
                .satisfies(r -> assertThat(r.rule()).startsWith("transparent"));
        // the closed capture is reported to the resolver, as on the explicit port
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (released.stream()
                        .noneMatch(a -> a.getAddress().equals(network.subnet().sandboxAddress()))
                && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(released)
                .as("released() calls")
                .anyMatch(a -> a.getAddress().equals(network.subnet().sandboxAddress()));
    }

    @Test
    void python3IsDeniedWhereCurlIsAllowed() {
        InNamespace tls = inSandbox(python, "-c", """
                import socket, ssl
                ctx = ssl.create_default_context()
                raw = socket.create_connection(('%s', %d), timeout=10)
                try:
                    ctx.wrap_socket(raw, server_hostname='api.test')
                    print('connected')
                except (ssl.SSLError, OSError) as e:
                    print('refused', e)
                """.formatted(UPSTREAM, https.port()));

        assertThat(tls.stdout()).as(tls.toString()).startsWith("refused").containsIgnoringCase("access denied");
        assertThat(tls.took()).isLessThan(FAST);
        assertThat(awaitRecord(r -> "api.test".equals(r.host())))
                .satisfies(r -> assertThat(r.rule()).isEqualTo("bypass:policy_denied"))
                .satisfies(r -> assertThat(r.binary()).isEqualTo(python))
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("deny"));
    }

    @Test
    void aServerNameThatDoesNotResolveToTheAddressConnectedToIsSpoofing() {
        int before = https.connections.get();
        InNamespace spoof = curl(
                "--cacert",
                bothCas.toString(),
                "--resolve",
                "api.test:" + https.port() + ":" + ELSEWHERE,
                "https://api.test:" + https.port() + "/repos");

        assertThat(spoof.exitCode()).as(spoof.toString()).isNotZero();
        assertThat(spoof.stderr()).containsIgnoringCase("access denied");
        assertThat(spoof.took()).isLessThan(FAST);
        assertThat(https.connections.get()).isEqualTo(before);
        assertThat(awaitRecord(r -> r.rule() != null && r.rule().startsWith("bypass:")))
                .satisfies(r -> assertThat(r.rule()).isEqualTo("bypass:name_mismatch"))
                .satisfies(r -> assertThat(r.reason())
                        .isEqualTo("SNI names api.test but the connection was to " + ELSEWHERE
                                + ", which api.test does not resolve to"))
                .satisfies(r -> assertThat(r.binary()).isEqualTo("/usr/bin/curl"));
    }

    @Test
    void plaintextHttpIsAttributedByItsHostHeader() {
        String port = String.valueOf(http.port());
        InNamespace plain =
                curl("--resolve", "plain.test:" + port + ":" + UPSTREAM, "http://plain.test:" + port + "/hi");
        InNamespace restGet = curl("--resolve", "api.test:" + port + ":" + UPSTREAM, "http://api.test:" + port + "/r");
        InNamespace restDelete = curl(
                "--resolve", "api.test:" + port + ":" + UPSTREAM, "-X", "DELETE", "http://api.test:" + port + "/r");
        InNamespace denied =
                curl("--resolve", "denied.test:" + port + ":" + UPSTREAM, "http://denied.test:" + port + "/");
        InNamespace spoofed =
                curl("--resolve", "plain.test:" + port + ":" + ELSEWHERE, "http://plain.test:" + port + "/");

        assertThat(plain.stdout()).as(plain.toString()).isEqualTo("GET /hi body=0\n");
        assertThat(restGet.stdout()).as(restGet.toString()).isEqualTo("GET /r body=0\n");
        assertThat(restDelete.stdout()).as(restDelete.toString()).contains("\"layer\":\"l7\"", "\"method\":\"DELETE\"");
        assertThat(denied.stdout())
                .as(denied.toString())
                .contains("\"error\":\"policy_denied\"", "\"host\":\"denied.test\"", "\"layer\":\"l4\"");
        assertThat(spoofed.stdout())
                .as(spoofed.toString())
                .contains("\"rule\":\"bypass:name_mismatch\"", "the Host header names plain.test");
        for (InNamespace refusal : List.of(restDelete, denied, spoofed)) {
            assertThat(refusal.took()).as(refusal.toString()).isLessThan(FAST);
        }
        assertThat(awaitRecord(r -> "denied.test".equals(r.host())))
                .satisfies(r -> assertThat(r.rule()).isEqualTo("bypass:policy_denied"))
                .satisfies(r -> assertThat(r.method()).isEqualTo("GET"));
    }

    @Test
    void connectionsThatCannotBeAttributedAreRejectedFastAndLogged() {
        InNamespace silent = inSandbox(python, "-c", probe(http.port(), null));
        InNamespace ssh = inSandbox(python, "-c", probe(http.port(), "SSH-2.0-OpenSSH_9.6\\r\\n"));
        InNamespace partial = inSandbox(python, "-c", probe(https.port(), "\\x16\\x03\\x01\\x02\\x00\\x01"));
        InNamespace probed = inSandbox(
                python,
                "-c",
                "import socket; socket.create_connection(('%s', %d)).close()".formatted(UPSTREAM, http.port()));
        InNamespace noSni = curl("-k", "https://" + UPSTREAM + ":" + https.port() + "/");
        InNamespace internet = curl("https://1.1.1.1/");

        assertThat(silent.stdout().strip()).as(silent.toString()).isEqualTo("reset");
        assertThat(ssh.stdout().strip()).as(ssh.toString()).isEqualTo("reset");
        assertThat(partial.stdout().strip()).as(partial.toString()).isEqualTo("reset");
        assertThat(probed.exitCode()).as(probed.toString()).isZero();
        assertThat(noSni.exitCode()).as(noSni.toString()).isNotZero();
        assertThat(internet.exitCode()).as(internet.toString()).isNotZero();
        for (InNamespace attempt : List.of(silent, ssh, partial, noSni, internet)) {
            assertThat(attempt.took()).as(attempt.toString()).isLessThan(FAST);
        }
        assertThat(awaitRecord(r -> "bypass:silent".equals(r.rule())))
                .satisfies(r -> assertThat(r.binary()).isEqualTo(python))
                .satisfies(r -> assertThat(r.host()).isEqualTo(UPSTREAM))
                .satisfies(r -> assertThat(r.port()).isEqualTo(http.port()));
        assertThat(awaitRecord(r -> "bypass:incomplete".equals(r.rule())).reason())
                .contains("sent 6 bytes", "no complete TLS ClientHello");
        assertThat(awaitRecord(r -> "bypass:closed_early".equals(r.rule())).port())
                .isEqualTo(http.port());
        assertThat(awaitRecord(r -> "bypass:unknown_protocol".equals(r.rule())).binary())
                .isEqualTo(python);
        assertThat(awaitRecord(r -> "bypass:no_sni".equals(r.rule()) && r.host().equals(UPSTREAM))
                        .binary())
                .isEqualTo("/usr/bin/curl");
        assertThat(awaitRecord(r -> "bypass:no_sni".equals(r.rule()) && r.host().equals("1.1.1.1"))
                        .port())
                .isEqualTo(443);
        assertThat(log).allMatch(r -> "transparent".equals(r.mode()));
    }

    @Test
    void aReloadThatNoLongerAdmitsARelayedConnectionClosesIt() throws Exception {
        long generation = proxy.activeGeneration();
        Process download = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        network.namespaceName(),
                        "/usr/bin/curl",
                        "-sS",
                        "--noproxy",
                        "*",
                        "--limit-rate",
                        "100K",
                        "-o",
                        "/dev/null",
                        "--cacert",
                        upstreamCaPem.toString(),
                        "--resolve",
                        "raw.test:" + https.port() + ":" + UPSTREAM,
                        "https://raw.test:" + https.port() + "/bulk?n=20000000")
                .redirectErrorStream(true)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (https.requests.stream().noneMatch(line -> line.startsWith("GET /bulk"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(https.requests).as("the download reached the upstream").anyMatch(l -> l.startsWith("GET /bulk"));

            ReloadResult reload =
                    proxy.replacePolicy(compile(POLICY.replace("raw.test", "other.test")), generation + 1);

            assertThat(reload.loaded()).isTrue();
            assertThat(reload.closedConnections()).isEqualTo(1);
            assertThat(download.waitFor(3, TimeUnit.SECONDS))
                    .as("curl ends once its connection is closed")
                    .isTrue();
            assertThat(download.exitValue()).isNotZero();
        } finally {
            download.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            proxy.replacePolicy(compile(POLICY), generation + 2);
        }
    }

    @Test
    void theExplicitPortStillServesAndIsNotMarkedTransparent() {
        String port = String.valueOf(http.port());
        InNamespace viaProxy = inSandbox(
                "/usr/bin/curl",
                "-sS",
                "--max-time",
                "10",
                "-x",
                network.proxyUrl(),
                "http://plain.test:" + port + "/explicit");

        assertThat(viaProxy.stdout()).as(viaProxy.toString()).isEqualTo("GET /explicit body=0\n");
        assertThat(awaitRecord(r -> "plain.test".equals(r.host())).mode()).isNull();
        assertThat(proxy.transparentAddress()).isEqualTo(network.transparentProxyAddress());
    }

    /** Connects, optionally sends {@code send}, and reports how the proxy ended the connection. */
    private static String probe(int port, String send) {
        return """
                import socket
                s = socket.create_connection(('%s', %d), timeout=10)
                %s
                try:
                    data = s.recv(100)
                    print('closed' if data == b'' else 'answered ' + repr(data))
                except ConnectionResetError:
                    print('reset')
                except socket.timeout:
                    print('hung')
                """.formatted(UPSTREAM, port, send == null ? "" : "s.sendall(b'" + send + "')");
    }

    private static InNamespace curl(String... args) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "10", "--noproxy", "*"));
        command.addAll(List.of(args));
        return inSandbox(command.toArray(String[]::new));
    }

    private static InNamespace inSandbox(String... command) {
        return InNamespace.run(network.namespaceName(), command);
    }

    /** The first logged record matching {@code match}; rejections are logged once the caller is known. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static DecisionRecord awaitRecord(Predicate<DecisionRecord> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Optional<DecisionRecord> found = log.stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no matching decision record in " + log);
    }

    private static CompiledPolicy compile(String yaml) {
        String text = yaml.replace("HTTPS_PORT", String.valueOf(https.port()))
                .replace("HTTP_PORT", String.valueOf(http.port()));
        return PolicyEngine.compile(PolicyParser.parse(text), PolicyEngine.Options.resolvingHostSymlinks());
    }

    private static List<InetAddress> resolve(String host) throws UnknownHostException {
        String address = DNS.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.ofLiteral(address));
    }
}
