package dev.openshell.sandbox.attacks;

import dev.openshell.sandbox.net.FakeInternet;
import dev.openshell.sandbox.proxy.TestCa;
import dev.openshell.sandbox.proxy.TestUpstream;
import dev.openshell.sandbox.proxy.shared.HostResolver;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.ssh.SandboxSshClient;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import dev.openshell.sandbox.supervisor.SandboxSupervisor;
import dev.openshell.sandbox.supervisor.SupervisorOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real sandbox under attack, black-box: a supervisor (as {@code openshell run} starts it) whose
 * agent is an {@link AgentShell}, and a {@link FakeInternet} with an HTTP and an HTTPS server on
 * {@link #upstreamIp()}. The attack tests drive the agent with shell scripts and look at what
 * reached the servers, what the resolver was asked, and what the sandbox logged.
 *
 * <p>Names: every name in {@link #NAMES} resolves to {@link #upstreamIp()} (the HTTPS server's
 * certificate covers them all), a name a test puts in {@link #dns} to the address given there;
 * every other name is unknown. Each lookup the proxy or the sandbox
 * DNS makes is counted in {@link #lookups}. Policy placeholders: {@code HTTP_PORT}, {@code
 * HTTPS_PORT}; the upstream address is private, so endpoints list {@code allowed_ips:
 * [10.95.0.0/24]}. A usable filesystem baseline is {@code SandboxFixture.systemPolicy()} followed
 * by the test's {@code network_policies}.
 *
 * <p>The upstream address is {@code 10.95.K.1} for the fake internet's slot K, so that attack tests of several checkouts can run on one machine at
 * once; {@link #fill} rewrites {@code 10.95.0.} in a policy to this instance's {@code 10.95.K.}.
 */
public final class AttackSandbox implements AutoCloseable {

    public static final List<String> NAMES =
            List.of("api.test", "ro.test", "rw.test", "full.test", "admin.test", "ws.test", "other.test");

    /** Lookups by name, whoever made them (proxy or sandbox DNS). */
    public final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    /** Extra answers a test sets (name to IPv4 address), tried before {@link #NAMES}. */
    public final Map<String, String> dns = new ConcurrentHashMap<>();

    private final FakeInternet internet;
    private final String upstreamIp;
    /** {@code 10.95.K.}: the first three octets of {@link #upstreamIp}. */
    private final String upstreamNet;

    private final TestUpstream http;
    private final TestUpstream https;
    private final Path caPem;
    private final List<Neighbour> neighbours = new java.util.concurrent.CopyOnWriteArrayList<>();
    private SandboxSupervisor sandbox;
    private AgentShell shell;

    private AttackSandbox() throws IOException {
        internet = FakeInternet.open();
        // 10.201.K.1 -> slot K: a slot is claimed by one fake internet at a time, so is 10.95.K.1
        String transit = internet.hostSideAddress();
        upstreamNet = "10.95." + transit.split("\\.")[2] + ".";
        upstreamIp = upstreamNet + "1";
        try {
            internet.address(upstreamIp);
            TestCa ca = new TestCa("attack-upstream");
            http = internet.inside(() -> new TestUpstream(upstreamIp, null));
            https = internet.inside(() -> new TestUpstream(upstreamIp, ca.serverContext(NAMES.toArray(String[]::new))));
            Files.createDirectories(SandboxFixture.IT_STATE);
            caPem = ca.writePem(SandboxFixture.IT_STATE.resolve("attack-ca-" + UUID.randomUUID() + ".pem"));
        } catch (RuntimeException | IOException e) {
            internet.close();
            throw e;
        }
    }

    /**
     * Starts a sandbox with {@code policyYaml} (placeholders filled in) whose agent waits for
     * scripts. The calling test class is a {@link dev.openshell.sandbox.SandboxHost}.
     */
    public static AttackSandbox start(String policyYaml) throws IOException {
        return start(policyYaml, UnaryOperator.identity());
    }

    /**
     * Like {@link #start(String)}, with the spec adjusted by {@code customize} (resource limits, a
     * workdir) before the sandbox starts.
     */
    public static AttackSandbox start(String policyYaml, UnaryOperator<SandboxSpec> customize) throws IOException {
        AttackSandbox attack = new AttackSandbox();
        try {
            attack.sandbox = attack.startSandbox(policyYaml, customize);
            attack.shell = new AgentShell(attack.sandbox.workdir());
            return attack;
        } catch (RuntimeException e) {
            attack.close();
            throw e;
        }
    }

    /**
     * A second sandbox on the same host and fake internet (a victim, or a second attacker), stopped
     * with this one. Only one {@link FakeInternet} fits on a host, so two sandboxes that must run at
     * once come from one {@code AttackSandbox}.
     */
    public Neighbour startNeighbour(String policyYaml) {
        SandboxSupervisor supervisor = startSandbox(policyYaml, UnaryOperator.identity());
        Neighbour neighbour = new Neighbour(supervisor, new AgentShell(supervisor.workdir()));
        neighbours.add(neighbour);
        return neighbour;
    }

    private SandboxSupervisor startSandbox(String policyYaml, UnaryOperator<SandboxSpec> customize) {
        SandboxSpec spec = SandboxSpec.of(null, AgentShell.COMMAND)
                .withPolicyYaml(fill(policyYaml))
                .withExtraUpstreamCa(caPem);
        spec = customize.apply(spec.withStateDir(SandboxFixture.IT_STATE.resolve(spec.id())));
        return SandboxSupervisor.start(spec, options());
    }

    /** Another sandbox next to the attacked one. */
    public record Neighbour(SandboxSupervisor supervisor, AgentShell shell) {

        /** Runs {@code script} with {@code sh} as this sandbox's agent. */
        public AgentShell.Result sh(String script) throws IOException, InterruptedException {
            return shell.run(script);
        }
    }

    private SupervisorOptions options() {
        HostResolver resolver = host -> {
            lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            String extra = dns.get(host);
            if (extra != null) {
                return List.of(InetAddress.ofLiteral(extra));
            }
            if (!NAMES.contains(host)) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByName(upstreamIp));
        };
        return SupervisorOptions.defaults()
                .withHostResolver(resolver)
                .withBypassPoll(Duration.ofMillis(200))
                .withStopGrace(Duration.ofMillis(500));
    }

    private static void stop(SandboxSupervisor supervisor) throws IOException {
        supervisor.close();
        Path state = supervisor.stateDir();
        if (Files.exists(state)) {
            try (var files = Files.walk(state)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * {@code yaml} with this run's ports in place of {@code HTTP_PORT} and {@code HTTPS_PORT}, and
     * this instance's upstream network in place of {@code 10.95.0.}.
     */
    public String fill(String yaml) {
        return yaml.replace("HTTPS_PORT", String.valueOf(https.port()))
                .replace("HTTP_PORT", String.valueOf(http.port()))
                .replace("10.95.0.", upstreamNet);
    }

    /** Where both servers listen ({@code 10.95.K.1}) and every name in {@link #NAMES} points. */
    public String upstreamIp() {
        return upstreamIp;
    }

    /** Runs {@code script} with {@code sh} as the agent (same process tree, same confinement). */
    public AgentShell.Result sh(String script) throws IOException, InterruptedException {
        return shell.run(script);
    }

    /** Hands {@code script} to the agent without waiting (it may never end, or end the sandbox). */
    public void send(String script) throws IOException, InterruptedException {
        shell.send(script);
    }

    /**
     * Runs {@code script} with {@code sh -c} in an SSH {@code exec} session of the sandbox (what
     * {@code openshell sandbox exec} does); the output is stdout and stderr together.
     */
    public AgentShell.Result ssh(String script) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (SandboxSshClient client =
                SandboxSshClient.connect(sandbox.sshEndpoint().orElseThrow())) {
            int code = client.execShell(script, java.io.InputStream.nullInputStream(), out, out);
            return new AgentShell.Result(code, out.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** An SSH client of the sandbox's SSH server, as the gateway's tunnel reaches it (close it). */
    public SandboxSshClient sshClient() {
        return SandboxSshClient.connect(sandbox.sshEndpoint().orElseThrow());
    }

    /** The agent's work directory as the host sees it (the test can drop files there). */
    public Path workdir() {
        return sandbox.workdir();
    }

    /** {@code https://host:PORT/path} on the HTTPS server. */
    public String https(String host, String path) {
        return "https://" + host + ":" + https.port() + path;
    }

    /** {@code http://host:PORT/path} on the HTTP server. */
    public String http(String host, String path) {
        return "http://" + host + ":" + http.port() + path;
    }

    public int httpPort() {
        return http.port();
    }

    public int httpsPort() {
        return https.port();
    }

    /** Request lines ({@code METHOD URI body=N}) both servers received. */
    public List<String> requests() {
        return java.util.stream.Stream.concat(http.requests.stream(), https.requests.stream())
                .toList();
    }

    /** {@code METHOD URI host=H upgrade=U} per request both servers received (headers as they arrived). */
    public List<String> heads() {
        return java.util.stream.Stream.concat(http.heads.stream(), https.heads.stream())
                .toList();
    }

    /** Connections to either server open right now (the proxy's upstream legs). */
    public int openUpstreamConnections() {
        return http.open.get() + https.open.get();
    }

    /** How often {@code name} was looked up. */
    public int lookupsOf(String name) {
        AtomicInteger n = lookups.get(name);
        return n == null ? 0 : n.get();
    }

    public SandboxSupervisor supervisor() {
        return sandbox;
    }

    public FakeInternet internet() {
        return internet;
    }

    /** The sandbox log so far (agent output and events: denials, findings). */
    public String log() throws IOException {
        return SandboxFixture.log(sandbox);
    }

    /** The decision log so far (one JSON line per decision). */
    public String decisions() throws IOException {
        Path file = sandbox.stateDir().resolve("decisions.log");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Override
    public void close() throws IOException {
        try {
            for (Neighbour neighbour : neighbours) {
                stop(neighbour.supervisor());
            }
            if (sandbox != null) {
                stop(sandbox);
            }
        } finally {
            http.close();
            https.close();
            internet.close();
            Files.deleteIfExists(caPem);
            try (var left = Files.list(SandboxFixture.IT_STATE)) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(SandboxFixture.IT_STATE);
                }
            } catch (IOException e) {
                // another test still uses it
            }
        }
    }
}
