package dev.openshell.sandbox.supervisor;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.launch.LaunchSpec;
import dev.openshell.sandbox.launch.LauncherBinary;
import dev.openshell.sandbox.net.ProxyPorts;
import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.proxy.EgressProxy;
import dev.openshell.sandbox.proxy.ProxyConfig;
import dev.openshell.sandbox.proxy.dns.SandboxDns;
import dev.openshell.sandbox.proxy.log.RotatingFileSink;
import dev.openshell.sandbox.proxy.tls.HostCa;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.ssh.ConfinedProcesses;
import dev.openshell.sandbox.ssh.SandboxSshServer;
import dev.openshell.sandbox.ssh.SshEndpoint;
import dev.openshell.sandbox.users.AgentIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One sandbox's life on this host (DESIGN.md section 3, local driver): {@link #start} claims a uid
 * and a cgroup with the spec's limits ({@link HostClaims}), provisions the network, the proxy, the
 * trust bundle and the confined agent, then returns in {@code Ready};
 * the agent's exit, {@link #close()} or a failed start tear everything down again (processes,
 * proxy, network, temporary files), record the exit code and reason, and end in {@code Stopped} or
 * {@code Error}.
 *
 * <p>No static mutable state: one JVM can host many supervisors. Each costs, besides its agent,
 * one Netty event loop group and a handful of virtual threads (see docs/benchmarks.md).
 *
 * <p>State directory layout: {@code status.json}, {@code sandbox.log} (agent output and events),
 * {@code decisions.log} (one JSON line per proxy decision), {@code resolv.conf} (bound over the
 * agent's {@code /etc/resolv.conf}: the sandbox's DNS responder), {@code tls/} (CA and bundle, shown
 * read-only to the agent at {@code /run/openshell/tls}), {@code control.sock} (reload/status), {@code
 * ssh/} (the SSH endpoint and client key), {@code work/} (the private workdir when none was given).
 * The directory is root's alone; the agent sees none of it but what is bound into its root. At the end
 * the socket, {@code tls/}, {@code ssh/} and {@code work/} are removed;
 * the rest stays only when the spec asked to keep state (then root's alone), otherwise the whole
 * directory goes. A limit hit (OOM kill, refused fork) ends the sandbox with the limit as reason.
 */
public final class SandboxSupervisor implements AutoCloseable {

    static final String TRUST_DIR = "tls";
    static final String WORK_DIR = "work";
    static final String SSH_DIR = "ssh";
    static final String DECISIONS_FILE = "decisions.log";
    static final String RESOLV_CONF_FILE = "resolv.conf";

    private static final long LOG_MAX_BYTES = 64L << 20;
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(10);
    private static final long DECISIONS_MAX_BYTES = 16L << 20;
    private static final Duration LIMIT_POLL = Duration.ofMillis(250);

    private final SandboxSpec spec;
    private final SupervisorOptions options;
    private final Path stateDir;
    private final Object reloadLock = new Object();
    private final AgentOutput output = new AgentOutput();
    private final StatusRecord status;
    private final Teardown teardown;
    private final UndoStack resources;

    /** The init forked the agent: the launcher's setup is done, so a 125 is the agent's own. */
    private volatile boolean agentForked;

    private PolicyReload policyReload;
    private SandboxLog log;
    private SandboxSshServer ssh;
    private ConfinedProcesses sessionProcesses;
    private Process agent;
    private HostClaims claims;
    private Path hostWorkdir;
    private boolean ownWorkdir;

    private SandboxSupervisor(SandboxSpec spec, SupervisorOptions options) {
        this.spec = spec;
        this.options = options;
        this.stateDir = spec.stateDir();
        this.status = new StatusRecord(stateDir, SandboxStatus.provisioning(spec.id(), spec.keepState()));
        this.teardown = new Teardown(spec.id(), status);
        this.resources = teardown.resources();
    }

    /**
     * Provisions the sandbox and launches its agent; returns once it is {@code Ready}. On failure
     * everything made so far is removed and a {@link SandboxException} says why.
     */
    public static SandboxSupervisor start(SandboxSpec spec, SupervisorOptions options) {
        return start(spec, options, step -> {});
    }

    /**
     * {@link #start}, calling {@code afterStep} with each step's name once it is done ({@code
     * reclaim}, {@code state}, {@code network}, {@code policy}, {@code guard}, {@code proxy},
     * {@code dns}, {@code launch}, {@code ssh}, {@code control}): how tests fail or hold a start
     * half-way. Not reachable from any command line.
     */
    static SandboxSupervisor start(SandboxSpec spec, SupervisorOptions options, Consumer<String> afterStep) {
        SandboxSupervisor supervisor = new SandboxSupervisor(spec, options);
        Runnable unguard = supervisor.teardown.guardStart(Thread.currentThread());
        try {
            supervisor.provision(afterStep);
        } catch (RuntimeException | IOException e) {
            throw supervisor.teardown.failedStart(e);
        } finally {
            unguard.run();
        }
        return supervisor;
    }

    /**
     * Each step pushes what undoes it once it has made something (the state directory and the log on
     * the teardown's record, which outlives the rest); a step that makes something in several moves
     * pushes its undo first: undoing what is not there does nothing.
     */
    private void provision(Consumer<String> afterStep) throws IOException {
        StepTimer timer = new StepTimer();
        Consumer<String> done = step -> {
            timer.mark(step);
            afterStep.accept(step);
        };
        SandboxNetwork.unavailableReason().ifPresent(reason -> {
            throw new SandboxException(
                    reason.contains("root") ? ErrorCode.NOT_ROOT : ErrorCode.NETWORK_UNAVAILABLE,
                    "sandboxes need root, ip and nft on this host: " + reason);
        });
        Policy policy = spec.policy();
        if (spec.workdir() != null) {
            // Before anything is made: a workdir the agent cannot use is the caller's mistake.
            WorkdirCheck.check(spec.workdir(), policy.filesystem().includeWorkdir());
        }
        List<String> reclaimed = StaleSandboxes.reclaim(options.sandboxesRoot(), options.netStateDir());
        done.accept("reclaim");
        claims = HostClaims.claim(spec.id(), policy.process());
        // The uid last: nothing of this sandbox is left that could run as it.
        resources.push("release the uid claim", claims::releaseUid);
        AgentIdentity identity = claims.identity();
        StateDirectories.prepare(stateDir);
        // Pushed only now: a state directory that prepare refused is another sandbox's.
        teardown.record()
                .push(
                        "remove the state directory (or lock it down when kept)",
                        () -> StateDirectories.release(stateDir, spec.keepState()));
        status.ownStateDirectory();
        log = new SandboxLog(
                options.logFile().orElse(stateDir.resolve(SandboxLog.FILE)), LOG_MAX_BYTES, options.events());
        teardown.record().push("close the sandbox log", () -> {
            log.event(SandboxEnd.event(status.current()));
            log.close();
        });
        if (!reclaimed.isEmpty()) {
            log.event(StaleSandboxes.describe(reclaimed));
        }
        log.event("provisioning sandbox " + spec.id() + " (agent uid " + identity.uid() + ", gid " + identity.gid()
                + ")");
        // The cgroup once every process in it has ended (the agent's undo comes first).
        resources.push("remove the cgroup", claims::removeCgroup);
        log.event("limits: " + claims.limit(spec.resources()));

        hostWorkdir = spec.workdir();
        if (hostWorkdir == null) {
            resources.push(
                    "remove the private workdir", () -> StaleSandboxes.deleteRecursively(stateDir.resolve(WORK_DIR)));
            hostWorkdir = AgentLaunch.privateWorkdir(stateDir, identity);
            ownWorkdir = true;
        }
        Path agentWorkdir = spec.agentWorkdir() != null ? spec.agentWorkdir() : hostWorkdir;
        Path trustDir = stateDir.resolve(TRUST_DIR);
        Path resolvConf = stateDir.resolve(RESOLV_CONF_FILE);
        AgentLaunch.checkHardRequirement(AgentLaunch.launchSpec(
                policy, identity, hostWorkdir, ownWorkdir, agentWorkdir, trustDir, null, resolvConf));
        done.accept("state");

        SandboxNetwork network = resources.closing(
                "remove the network (namespace, veth pair, nft table)",
                SandboxNetwork.create(spec.id(), ProxyPorts.DEFAULT, options.netStateDir()));
        status.update(
                status.current().withNetwork(NamespaceProcesses.inode(network.namespaceFile()), network.proxyUrl()));
        done.accept("network");

        // Binaries named in the policy match under their real path too (e.g. /bin/sh -> dash).
        PolicyEngine.Options compileOptions = PolicyEngine.Options.resolvingHostSymlinks();
        CompiledPolicy compiled = PolicyEngine.compile(policy, compileOptions);
        done.accept("policy");
        resources.push("remove the trust material", () -> StaleSandboxes.deleteRecursively(trustDir));
        Files.createDirectories(trustDir);
        Files.setPosixFilePermissions(trustDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        SandboxCallers callers = new SandboxCallers(
                status.current().netnsInode(), LauncherBinary.locate().toRealPath());
        DecisionEvents decisions = resources.closing(
                "close the decision log",
                new DecisionEvents(
                        new RotatingFileSink(stateDir.resolve(DECISIONS_FILE), DECISIONS_MAX_BYTES, 2), log));
        EgressProxy proxy = resources.closing(
                "stop the proxy",
                new EgressProxy(ProxyConfig.builder(spec.id(), callers, compiled, 1)
                        .bind(network.explicitProxyAddress())
                        .transparentBind(network.transparentProxyAddress())
                        .trustDir(trustDir)
                        .hostCaDir(HostCa.DEFAULT_DIR)
                        .extraUpstreamCa(spec.extraUpstreamCa())
                        .hostResolver(options.hostResolver())
                        .extraHostAddresses(options.guardedNetworks())
                        .sink(decisions)
                        .sandboxName(options.sandboxName().orElse(null))
                        .build()));
        done.accept("guard");
        proxy.start();
        policyReload = new PolicyReload(policy, proxy, compileOptions, log);
        status.update(status.current().withGeneration(1));
        done.accept("proxy");
        // Same resolver as the proxy: the transparent path accepts a connection only to an address
        // the SNI's name resolves to, and that is what the agent was told.
        // A name is looked up only for a program the active policy lets reach it: no DNS exfiltration.
        resources.closing(
                "stop the DNS responder",
                SandboxDns.start(
                        new InetSocketAddress(network.subnet().hostAddress(), SandboxDns.PORT),
                        options.hostResolver(),
                        new PolicyLookupGate(callers, () -> proxy.activePolicy().policy())));
        AgentLaunch.resolvConf(stateDir, network.subnet().hostAddress());
        done.accept("dns");

        Map<String, String> env = AgentEnvironment.build(
                network.proxyUrl(), AgentLaunch.agentTrustBundle(proxy.trustBundle()), identity.userName(), spec.env());
        LaunchSpec launch = AgentLaunch.launchSpec(
                        policy,
                        identity,
                        hostWorkdir,
                        ownWorkdir,
                        agentWorkdir,
                        trustDir,
                        network.namespaceFile(),
                        resolvConf)
                .withLimits(claims.launchLimits());
        agent = AgentLaunch.processBuilder(launch.command(spec.command()), env, options.console())
                .start();
        resources.push(
                "stop the agent and every process of the sandbox",
                () -> SandboxStop.stop(
                        agent, claims, status.current().netnsInode(), options.stopGrace(), output, teardown));
        // The launcher stays outside the sandbox's PID namespace as a relay; the agent is pid 2 inside.
        SandboxInit init = SandboxInit.locate(agent.toHandle(), INIT_TIMEOUT).orElse(null);
        long agentPid = init == null ? agent.pid() : init.agentPid();
        agentForked = init != null;
        callers.attach(agentPid);
        done.accept("launch");
        if (init != null) {
            // Commands a gateway session runs (exec, file transfer) join the agent like SSH sessions.
            sessionProcesses = new ConfinedProcesses(launch.joining(init.initPid()), LauncherBinary.locate(), env);
        }
        if (spec.ssh() && init != null) {
            // Before Ready, so a client that sees Ready can connect at once; sessions join the
            // sandbox's cgroups and its init's namespaces (the agent's root, /tmp and processes).
            // The client key is a credential: it never outlives the sandbox.
            resources.push("remove the SSH keys", () -> StaleSandboxes.deleteRecursively(stateDir.resolve(SSH_DIR)));
            ssh = resources.closing(
                    "stop the SSH server",
                    SandboxSshServer.start(spec.id(), stateDir, launch.joining(init.initPid()), env));
            done.accept("ssh");
        }
        output.pump(agent, log, options);
        status.update(status.current().withAgent(agentPid).withPhase(SandboxPhase.READY, null));
        log.event("ready: agent pid " + agentPid + ", proxy " + network.proxyUrl() + ", policy generation 1 (" + timer
                + ")");

        BypassWatch watch = new BypassWatch(network::counters, options.bypassPoll(), log::event);
        resources.push("stop the bypass watch", watch::stopAndReport);
        resources.closing(
                "close the control socket", new ControlSocket(stateDir.resolve(ControlSocket.FILE), this::control));
        afterStep.accept("control");
        // Last: from here on a limit hit or the agent's exit tears down, concurrently with nothing.
        claims.watch(LIMIT_POLL, this::limitHit);
        agent.onExit()
                .thenRunAsync(this::agentExited, task -> Thread.ofVirtual().start(task));
    }

    public String id() {
        return spec.id();
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Where the sandbox's SSH server listens and its client key; empty when the spec has no SSH. */
    public Optional<SshEndpoint> sshEndpoint() {
        return Optional.ofNullable(ssh).map(SandboxSshServer::endpoint);
    }

    /**
     * Builds processes confined like the agent, in its namespaces (same root, uid, cgroup, Landlock
     * and seccomp), as SSH sessions run; empty when the agent has no init to join.
     */
    public Optional<ConfinedProcesses> confinedProcesses() {
        return Optional.ofNullable(sessionProcesses);
    }

    /**
     * Lets an SSH client with this OpenSSH public key in (until the sandbox stops); returns the SSH
     * server's host key line.
     */
    public String authorizeSshKey(String publicKeyLine) {
        SandboxSshServer server = ssh;
        if (server == null) {
            throw new SandboxException(ErrorCode.SSH_SERVER_FAILED, "sandbox " + spec.id() + " has no SSH server");
        }
        return server.authorize(publicKeyLine);
    }

    /** The agent's work directory as the host sees it. */
    public Path workdir() {
        return hostWorkdir;
    }

    /** The latest status (also in {@code status.json}). */
    public SandboxStatus status() {
        return status.current();
    }

    /** The agent's pid. */
    public long agentPid() {
        return status.current().agentPid();
    }

    /** Waits until the sandbox has ended and is torn down; returns the agent's exit code. */
    public int awaitExit() {
        return teardown.awaitExit();
    }

    /** Like {@link #awaitExit()} with a limit; empty when the sandbox still runs. */
    public Optional<SandboxStatus> awaitEnd(Duration timeout) {
        return teardown.awaitEnd(timeout);
    }

    /**
     * Replaces the network policies without restarting the agent; a policy that changes the static
     * sections is rejected (see {@link PolicyReload}).
     */
    public ReloadOutcome reload(byte[] yaml, String source) {
        synchronized (reloadLock) {
            SandboxStatus current = status.current();
            long active = current.policyGeneration();
            if (policyReload == null || current.phase() != SandboxPhase.READY) {
                return ReloadOutcome.failed(
                        active,
                        "sandbox " + spec.id() + " is " + current.phase().display());
            }
            ReloadOutcome outcome = policyReload.apply(yaml, source, active);
            if (outcome.loaded()) {
                status.update(status.current().withGeneration(outcome.generation()));
            }
            return outcome;
        }
    }

    /** Stops the sandbox (SIGTERM, then SIGKILL after the grace) and waits for the teardown. */
    @Override
    public void close() {
        teardown.requestStop();
        teardown.run(SandboxPhase.STOPPED, null);
    }

    private String control(String command, byte[] body) {
        return switch (command) {
            case "status" -> status.current().toJson();
            case "reload" -> reload(body, "control socket").toJson();
            default -> ControlSocket.errorReply("unknown command '" + command + "'");
        };
    }

    /** A limit was hit: the sandbox ends (teardown names the limit), never the host's processes. */
    private void limitHit(String reason) {
        log.event("limit: " + reason + "; ending the sandbox");
        Thread.ofVirtual().start(() -> teardown.run(SandboxPhase.STOPPED, null));
    }

    private void agentExited() {
        output.drain();
        String setupFailure = AgentExit.setupFailure(
                agent.exitValue(),
                teardown.stopRequested(),
                output.launcherError(),
                options.console() == AgentConsole.TERMINAL && !agentForked);
        teardown.run(setupFailure == null ? SandboxPhase.STOPPED : SandboxPhase.ERROR, setupFailure);
    }
}
