package dev.openshell.sandbox.proxy;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.sandbox.net.FakeInternet;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import dev.openshell.sandbox.proxy.log.DecisionRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real proxy in front of real upstream servers at 10.77.0.1 in a {@link FakeInternet} (root
 * needed, else the test is skipped), with a test DNS, a test upstream CA, and real
 * policies compiled from YAML. Placeholders in YAML: {@code HTTP_PORT}, {@code HTTPS_PORT}.
 */
public final class ProxyHarness implements AutoCloseable {

    public static final String UPSTREAM_IP = "10.77.0.1";
    public static final String SANDBOX = "sb-it";

    public final FakeInternet internet;
    public final TestCa upstreamCa = new TestCa("test upstream CA");
    public final TestUpstream http;
    public final TestUpstream https;
    public final Path dir;
    public final Path upstreamCaPem;
    /** The proxy's own CA (written by the proxy at start); clients trust it for inspected TLS. */
    public Path sandboxCaPem;

    public final ConcurrentLinkedQueue<DecisionRecord> log = new ConcurrentLinkedQueue<>();
    /** DNS answers by name; names not listed resolve to {@link #UPSTREAM_IP}. */
    public final Map<String, String> dns = new ConcurrentHashMap<>();

    public final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    /** Names whose second and later lookups answer 127.0.0.1 (a DNS rebinding attack). */
    public final java.util.Set<String> rebinding = ConcurrentHashMap.newKeySet();

    public EgressProxy proxy;

    /** Networks the proxy is configured to refuse as the host's own (set before {@link #start}). */
    public List<dev.openshell.policy.net.Cidr> extraHostAddresses = List.of();

    public ProxyHarness() throws IOException {
        internet = FakeInternet.open();
        internet.address(UPSTREAM_IP);
        http = internet.inside(() -> new TestUpstream(UPSTREAM_IP, null));
        https = internet.inside(() -> new TestUpstream(
                UPSTREAM_IP,
                upstreamCa.serverContext("api.test", "full.test", "q.test", "audit.test", "ws.test", "keep.test")));
        dir = Files.createTempDirectory("proxy-it");
        upstreamCaPem = upstreamCa.writePem(dir.resolve("upstream-ca.pem"));
    }

    /** Starts the proxy with this policy as generation 1. */
    public ProxyHarness start(String yaml, CallerResolver callerResolver) {
        proxy = new EgressProxy(ProxyConfig.builder(SANDBOX, callerResolver, compile(yaml), 1)
                        .hostResolver(this::resolve)
                        .trustDir(dir.resolve("trust"))
                        .extraUpstreamCa(upstreamCaPem)
                        .sink(log::add)
                        .extraHostAddresses(extraHostAddresses)
                        .build())
                .start();
        sandboxCaPem = proxy.trustBundle().caPem();
        return this;
    }

    public ProxyHarness start(String yaml) {
        return start(yaml, ProcCallerResolver.forOwnNamespace());
    }

    public CompiledPolicy compile(String yaml) {
        String text = yaml.replace("HTTPS_PORT", String.valueOf(https.port()))
                .replace("HTTP_PORT", String.valueOf(http.port()));
        // Symlinked binary paths in a policy denote their targets (the supervisor does the same inside the sandbox
        // root).
        return PolicyEngine.compile(PolicyParser.parse(text), PolicyEngine.Options.resolvingHostSymlinks());
    }

    private List<InetAddress> resolve(String host) throws UnknownHostException {
        int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        if (rebinding.contains(host) && n > 1) {
            return List.of(InetAddress.ofLiteral("127.0.0.1"));
        }
        if (host.endsWith(".invalid")) {
            throw new UnknownHostException(host);
        }
        return List.of(InetAddress.ofLiteral(dns.getOrDefault(host, UPSTREAM_IP)));
    }

    public String proxyUrl() {
        return "http://127.0.0.1:" + proxy.port();
    }

    /** Runs a command with a timeout; returns exit code and combined output. */
    public static Result run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** curl through the proxy: {@code -sS}, proxy set, extra arguments as given. */
    public Result curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "--max-time", "20", "-x", proxyUrl()));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    public List<DecisionRecord> decisions(String host) {
        return log.stream().filter(d -> host.equals(d.host())).toList();
    }

    public record Result(int exit, String out) {}

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        http.close();
        https.close();
        internet.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
