package dev.openshell.gateway.local;

import dev.openshell.api.ErrorCode;
import dev.openshell.gateway.auth.GatewayTls;
import dev.openshell.gateway.compute.ComputeDriver;
import dev.openshell.gateway.compute.DriverException;
import dev.openshell.gateway.compute.ExecCommand;
import dev.openshell.gateway.compute.ExecOutcome;
import dev.openshell.gateway.compute.Workload;
import dev.openshell.gateway.compute.WorkloadEvents;
import dev.openshell.gateway.compute.WorkloadSpec;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.session.SupervisorSessions;
import jakarta.annotation.PreDestroy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The local driver ({@code --driver local}, the default): sandboxes on this host, each a full
 * sandbox supervisor (network namespace, nftables, egress proxy, Landlock, seccomp, its own uid and
 * cgroup), all hosted by one sandbox-host process outside the gateway's JVM ({@link
 * SandboxHostProcess}). The gateway asks the host to create, start, stop, delete and list them over
 * a root-only Unix socket; everything else (Ready, policy revisions, exec, SSH, logs, decisions)
 * goes over each sandbox's own supervisor session ({@link SupervisorSessions}). A gateway that dies
 * leaves the host and its sandboxes running; the next one tells the host where it listens and the
 * sessions reconnect.
 */
@Component
public class LocalDriver implements ComputeDriver, ApplicationListener<WebServerInitializedEvent> {

    public static final String NAME = "local";
    private static final Logger log = LoggerFactory.getLogger(LocalDriver.class);

    private final GatewayProperties properties;
    private final SupervisorSessions sessions;
    private final GatewayTls tls;
    /** Why a sandbox is in Error after its host died: the reason a user reads. */
    static final String HOST_DIED = "%s; its egress proxy died with it, so the sandbox's network traffic was refused"
            + " (fail-closed) and its processes were ended; 'start' brings it back with its workspace";

    private SandboxHostProcess host;
    private volatile String gatewayUrl;
    private volatile WorkloadEvents events;
    private volatile boolean closing;
    /** The sandboxes given to a host process, by the host {@linkplain SandboxHostProcess#generation generation}. */
    private final Map<String, Long> hosted = new ConcurrentHashMap<>();

    public LocalDriver(GatewayProperties properties, SupervisorSessions sessions, GatewayTls tls) {
        this.properties = properties;
        this.sessions = sessions;
        this.tls = tls;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void attach(WorkloadEvents events) {
        // Events come from the supervisor sessions; the host itself reports only its death.
        this.events = events;
        Path jar = sandboxJar();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        host = new SandboxHostProcess(
                properties.localHostDir(), java, jar, properties.local().javaOptions());
        host.onMissing(() -> {
            if (host.ensureRunning()) {
                configure();
            }
        });
        host.onDeath(this::hostDied);
    }

    /**
     * A host process that dies takes every sandbox in it along (their proxies, SSH servers and
     * sessions live in it; the launcher kills each agent when its supervisor goes): they are marked
     * {@code Error} at once, and a new host is started, whose start reclaims what the dead one left
     * (processes, network namespaces, veths, nft tables, cgroups, uids) and serves the next create.
     */
    private void hostDied(SandboxHostWatch.Death death) {
        if (closing) {
            return;
        }
        String reason = HOST_DIED.formatted(death.describe());
        log.error("{}; its sandboxes are marked Error and a new sandbox host is started", death.describe());
        // Off the thread that reported the exit (the JDK's process reaper for a child).
        Thread.ofVirtual().name("sandbox-host-died").start(() -> {
            WorkloadEvents sink = events;
            for (Map.Entry<String, Long> e : List.copyOf(hosted.entrySet())) {
                if (e.getValue() <= death.generation() && hosted.remove(e.getKey(), e.getValue()) && sink != null) {
                    sink.vanished(e.getKey(), reason);
                }
            }
            try {
                runningHost();
            } catch (RuntimeException e) {
                log.warn("a new sandbox host did not start ({}); the next create tries again", e.getMessage());
            }
        });
    }

    /**
     * Once the gateway listens: a host that runs already learns where to connect sessions. None is
     * started here; the first sandbox (or a reconciliation that finds workspaces) starts one.
     */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (host == null || !NAME.equals(properties.driver())) {
            return;
        }
        gatewayUrl = "https://" + sessionAddress() + ":" + event.getWebServer().getPort();
        try {
            if (host.answers()) {
                host.watchRunning();
                configure();
            }
        } catch (RuntimeException e) {
            log.warn("the sandbox host is not available: {}", e.getMessage());
        }
    }

    /** Tells the host where the gateway listens and which CA its certificate chains to. */
    private void configure() {
        if (gatewayUrl == null) {
            throw new DriverException(ErrorCode.UNAVAILABLE, "the gateway is not listening yet");
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "gateway");
        request.put("gateway_url", gatewayUrl);
        request.put("gateway_ca", tls.credentials().ca().certificatePem());
        host.request(request);
        log.info("sandbox host in {} connects sessions to {}", host.dir(), gatewayUrl);
    }

    /** The host, started (and configured) if none answers. */
    private SandboxHostProcess runningHost() {
        SandboxHostProcess h = host();
        if (h.ensureRunning()) {
            configure();
        }
        return h;
    }

    /** Where the host (on this machine) reaches the gateway: loopback unless it listens elsewhere only. */
    private String sessionAddress() {
        String bind = properties.bind();
        return switch (bind) {
            case "0.0.0.0", "::", "127.0.0.1", "localhost", "" -> "127.0.0.1";
            default -> bind.contains(":") ? "[" + bind + "]" : bind;
        };
    }

    private Path sandboxJar() {
        Path configured = properties.local().sandboxJar();
        if (configured != null) {
            return configured.toAbsolutePath();
        }
        try {
            Path self = Path.of(LocalDriver.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path dir = Files.isDirectory(self) ? self : self.getParent();
            // Next to the gateway's jar (an installation), or the sibling module's build (a checkout).
            if (Files.isRegularFile(dir.resolve("openshell-sandbox.jar"))) {
                return dir.resolve("openshell-sandbox.jar");
            }
            for (Path up = dir; up != null; up = up.getParent()) {
                Path built = up.resolve("openshell-sandbox-proxy/target/openshell-sandbox.jar");
                if (Files.isRegularFile(built)) {
                    return built.toAbsolutePath().normalize();
                }
            }
        } catch (Exception e) {
            // fall through
        }
        return Path.of("openshell-sandbox.jar").toAbsolutePath();
    }

    private SandboxHostProcess host() {
        if (host == null) {
            throw new DriverException(ErrorCode.UNAVAILABLE, "the local driver is not attached");
        }
        return host;
    }

    @Override
    public void create(WorkloadSpec spec) {
        run("create", spec);
    }

    @Override
    public void start(WorkloadSpec spec) {
        run("start", spec);
    }

    private void run(String op, WorkloadSpec spec) {
        Map<String, Object> sandbox = new LinkedHashMap<>();
        sandbox.put("id", spec.sandboxId());
        sandbox.put("name", spec.name());
        sandbox.put("command", spec.command());
        sandbox.put("env", spec.env());
        sandbox.put("policy", spec.policyYaml());
        sandbox.put("policy_revision", spec.policyRevision());
        if (spec.resources() != null) {
            sandbox.put("resources", spec.resources());
        }
        sandbox.put("supervisor_token", spec.supervisorToken());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", op);
        request.put("sandbox", sandbox);
        SandboxHostProcess h = runningHost();
        h.request(request);
        hosted.put(spec.sandboxId(), h.generation());
    }

    @Override
    public void stop(String sandboxId) {
        if (nothingHere()) {
            return;
        }
        runningHost().request(Map.of("op", "stop", "sandbox_id", sandboxId));
        hosted.remove(sandboxId);
    }

    @Override
    public void delete(String sandboxId) {
        if (nothingHere()) {
            return; // never made, or removed already
        }
        runningHost().request(Map.of("op", "delete", "sandbox_id", sandboxId));
        hosted.remove(sandboxId);
    }

    /** No host runs and none ever left a sandbox here. */
    private boolean nothingHere() {
        return !host().answers() && !host().hasSandboxes();
    }

    @Override
    public List<Workload> workloads() {
        if (nothingHere()) {
            return List.of(); // nothing was ever made here: no reason to start a host
        }
        SandboxHostProcess h = runningHost();
        long generation = h.generation();
        JsonNode answer = h.request(Map.of("op", "list"));
        List<Workload> out = new ArrayList<>();
        for (JsonNode w : answer.path("workloads")) {
            Workload.State state = switch (w.path("state").asString("")) {
                case "running" -> Workload.State.RUNNING;
                case "exited" -> Workload.State.EXITED;
                default -> Workload.State.STOPPED;
            };
            Integer code = w.hasNonNull("exit_code") ? w.path("exit_code").asInt() : null;
            out.add(new Workload(w.path("sandbox_id").asString(), state, code));
            if (state == Workload.State.RUNNING) {
                hosted.putIfAbsent(w.path("sandbox_id").asString(), generation);
            }
        }
        return out;
    }

    @Override
    public ExecOutcome exec(String sandboxId, ExecCommand command) {
        return sessions.exec(sandboxId, command);
    }

    @Override
    public void pushPolicy(String sandboxId, long revision, String policyYaml) {
        if (!sessions.pushPolicy(sandboxId, revision, policyYaml)) {
            log.info("sandbox {} is not connected; revision {} goes out when it says hello", sandboxId, revision);
        }
    }

    /** The gateway stops; the host outlives it on purpose, so its exit is no longer this gateway's business. */
    @PreDestroy
    void close() {
        closing = true;
        if (host != null) {
            host.unwatch();
        }
    }

    /** Stops the host and every sandbox in it (their workspaces stay); for tests and uninstalls. */
    public void shutdownHost() {
        host().unwatch();
        try {
            host().request(Map.of("op", "shutdown"));
        } catch (DriverException e) {
            // not running
        }
    }
}
