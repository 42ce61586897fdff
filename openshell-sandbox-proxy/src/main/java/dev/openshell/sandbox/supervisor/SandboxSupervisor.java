package dev.openshell.sandbox.supervisor;

import static dev.openshell.sandbox.supervisor.TeardownSteps.attempt;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyException;
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
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    private final Object teardownLock = new Object();
    private final Object reloadLock = new Object();
    private final CompletableFuture<SandboxStatus> ended = new CompletableFuture<>();
    private final List<Thread> pumps = new ArrayList<>();

    private volatile SandboxStatus status;
    private volatile boolean stopRequested;
    private volatile String launcherError;
    /** The init forked the agent: the launcher's setup is done, so a 125 is the agent's own. */
    private volatile boolean agentForked;

    private Policy policy;
    private PolicyReload policyReload;
    private SandboxLog log;
    private SandboxNetwork network;
    private DecisionEvents decisions;
    private EgressProxy proxy;
    private SandboxDns dns;
    private SandboxCallers callers;
    private SandboxSshServer ssh;
    private ConfinedProcesses sessionProcesses;
    private Process agent;
    private BypassWatch bypassWatch;
    private HostClaims claims;
    private ControlSocket control;
    private Path hostWorkdir;
    private boolean ownWorkdir;
    private boolean ownStateDir;
    private boolean tornDown;

    private SandboxSupervisor(SandboxSpec spec, SupervisorOptions options) {
        this.spec = spec;
        this.options = options;
        this.stateDir = spec.stateDir();
        this.status = SandboxStatus.provisioning(spec.id(), spec.keepState());
    }

    /**
     * Provisions the sandbox and launches its agent; returns once it is {@code Ready}. On failure
     * everything made so far is removed and a {@link SandboxException} says why.
     */
    public static SandboxSupervisor start(SandboxSpec spec, SupervisorOptions options) {
        SandboxSupervisor supervisor = new SandboxSupervisor(spec, options);
        try {
            supervisor.provision();
        } catch (RuntimeException | IOException e) {
            SandboxException failure = asSandboxException(e);
            supervisor.teardown(SandboxPhase.ERROR, failure.getMessage());
            throw failure;
        }
        return supervisor;
    }

    private void provision() throws IOException {
        StepTimer steps = new StepTimer();
        SandboxNetwork.unavailableReason().ifPresent(reason -> {
            throw new SandboxException(
                    reason.contains("root") ? ErrorCode.NOT_ROOT : ErrorCode.NETWORK_UNAVAILABLE,
                    "sandboxes need root, ip and nft on this host: " + reason);
        });
        policy = spec.policy();
        if (spec.workdir() != null) {
            // Before anything is made: a workdir the agent cannot use is the caller's mistake.
            WorkdirCheck.check(spec.workdir(), policy.filesystem().includeWorkdir());
        }
        List<String> reclaimed = StaleSandboxes.reclaim(options.sandboxesRoot(), options.netStateDir());
        steps.mark("reclaim");
        claims = HostClaims.claim(spec.id(), policy.process());
        AgentIdentity identity = claims.identity();
        StateDirectories.prepare(stateDir);
        ownStateDir = true;
        updateStatus(status);
        log = new SandboxLog(
                options.logFile().orElse(stateDir.resolve(SandboxLog.FILE)), LOG_MAX_BYTES, options.events());
        if (!reclaimed.isEmpty()) {
            log.event(StaleSandboxes.describe(reclaimed));
        }
        log.event("provisioning sandbox " + spec.id() + " (agent uid " + identity.uid() + ", gid " + identity.gid()
                + ")");
        log.event("limits: " + claims.limit(spec.resources()));

        hostWorkdir = spec.workdir();
        if (hostWorkdir == null) {
            hostWorkdir = AgentLaunch.privateWorkdir(stateDir, identity);
            ownWorkdir = true;
        }
        Path agentWorkdir = spec.agentWorkdir() != null ? spec.agentWorkdir() : hostWorkdir;
        Path trustDir = stateDir.resolve(TRUST_DIR);
        Path resolvConf = stateDir.resolve(RESOLV_CONF_FILE);
        AgentLaunch.checkHardRequirement(AgentLaunch.launchSpec(
                policy, identity, hostWorkdir, ownWorkdir, agentWorkdir, trustDir, null, resolvConf));
        steps.mark("state");

        network = SandboxNetwork.create(spec.id(), ProxyPorts.DEFAULT, options.netStateDir());
        updateStatus(status.withNetwork(NamespaceProcesses.inode(network.namespaceFile()), network.proxyUrl()));
        steps.mark("network");

        // Binaries named in the policy match under their real path too (e.g. /bin/sh -> dash).
        PolicyEngine.Options compileOptions = PolicyEngine.Options.resolvingHostSymlinks();
        CompiledPolicy compiled = PolicyEngine.compile(policy, compileOptions);
        steps.mark("policy");
        Files.createDirectories(trustDir);
        Files.setPosixFilePermissions(trustDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        callers =
                new SandboxCallers(status.netnsInode(), LauncherBinary.locate().toRealPath());
        decisions =
                new DecisionEvents(new RotatingFileSink(stateDir.resolve(DECISIONS_FILE), DECISIONS_MAX_BYTES, 2), log);
        proxy = new EgressProxy(ProxyConfig.builder(spec.id(), callers, compiled, 1)
                .bind(network.explicitProxyAddress())
                .transparentBind(network.transparentProxyAddress())
                .trustDir(trustDir)
                .hostCaDir(HostCa.DEFAULT_DIR)
                .extraUpstreamCa(spec.extraUpstreamCa())
                .hostResolver(options.hostResolver())
                .extraHostAddresses(options.guardedNetworks())
                .sink(decisions)
                .build());
        steps.mark("guard");
        proxy.start();
        policyReload = new PolicyReload(policy, proxy, compileOptions, log);
        updateStatus(status.withGeneration(1));
        // Same resolver as the proxy: the transparent path accepts a connection only to an address
        // the SNI's name resolves to, and that is what the agent was told.
        // A name is looked up only for a program the active policy lets reach it: no DNS exfiltration.
        EgressProxy policed = proxy;
        steps.mark("proxy");
        dns = SandboxDns.start(
                new InetSocketAddress(network.subnet().hostAddress(), SandboxDns.PORT),
                options.hostResolver(),
                new PolicyLookupGate(callers, () -> policed.activePolicy().policy()));
        AgentLaunch.resolvConf(stateDir, network.subnet().hostAddress());
        steps.mark("dns");

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
        // The launcher stays outside the sandbox's PID namespace as a relay; the agent is pid 2 inside.
        SandboxInit init = SandboxInit.locate(agent.toHandle(), INIT_TIMEOUT).orElse(null);
        long agentPid = init == null ? agent.pid() : init.agentPid();
        agentForked = init != null;
        callers.attach(agentPid);
        steps.mark("launch");
        if (init != null) {
            // Commands a gateway session runs (exec, file transfer) join the agent like SSH sessions.
            sessionProcesses = new ConfinedProcesses(launch.joining(init.initPid()), LauncherBinary.locate(), env);
        }
        if (spec.ssh() && init != null) {
            // Before Ready, so a client that sees Ready can connect at once; sessions join the
            // sandbox's cgroups and its init's namespaces (the agent's root, /tmp and processes).
            ssh = SandboxSshServer.start(spec.id(), stateDir, launch.joining(init.initPid()), env);
            steps.mark("ssh");
        }
        if (options.console() != AgentConsole.TERMINAL) {
            pumps.add(log.pump("stdout", agent.getInputStream(), mirror(options.terminalOut()), line -> {}));
            pumps.add(log.pump("stderr", agent.getErrorStream(), mirror(options.terminalErr()), this::watchLauncher));
        }
        updateStatus(status.withAgent(agentPid).withPhase(SandboxPhase.READY, null));
        log.event("ready: agent pid " + agentPid + ", proxy " + network.proxyUrl() + ", policy generation 1 (" + steps
                + ")");

        bypassWatch = new BypassWatch(network::counters, options.bypassPoll(), log::event);
        claims.watch(LIMIT_POLL, this::limitHit);
        control = new ControlSocket(stateDir.resolve(ControlSocket.FILE), this::control);
        agent.onExit()
                .thenRunAsync(this::agentExited, task -> Thread.ofVirtual().start(task));
    }

    private OutputStream mirror(OutputStream out) {
        return options.console() == AgentConsole.STREAMED ? out : null;
    }

    public String id() {
        return spec.id();
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Where the sandbox's SSH server listens and its client key; empty when the spec has no SSH. */
    public java.util.Optional<SshEndpoint> sshEndpoint() {
        return java.util.Optional.ofNullable(ssh).map(SandboxSshServer::endpoint);
    }

    /**
     * Builds processes confined like the agent, in its namespaces (same root, uid, cgroup, Landlock
     * and seccomp), as SSH sessions run; empty when the agent has no init to join.
     */
    public java.util.Optional<ConfinedProcesses> confinedProcesses() {
        return java.util.Optional.ofNullable(sessionProcesses);
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
        return status;
    }

    /** The agent's pid. */
    public long agentPid() {
        return status.agentPid();
    }

    /** Waits until the sandbox has ended and is torn down; returns the agent's exit code. */
    public int awaitExit() {
        SandboxStatus last = ended.join();
        return last.exitCode() == null ? 125 : last.exitCode();
    }

    /** Like {@link #awaitExit()} with a limit; empty when the sandbox still runs. */
    public java.util.Optional<SandboxStatus> awaitEnd(Duration timeout) {
        try {
            return java.util.Optional.of(ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Replaces the network policies without restarting the agent; a policy that changes the static
     * sections is rejected (see {@link PolicyReload}).
     */
    public ReloadOutcome reload(byte[] yaml, String source) {
        synchronized (reloadLock) {
            long active = status.policyGeneration();
            if (policyReload == null || status.phase() != SandboxPhase.READY) {
                return ReloadOutcome.failed(
                        active, "sandbox " + spec.id() + " is " + status.phase().display());
            }
            ReloadOutcome outcome = policyReload.apply(yaml, source, active);
            if (outcome.loaded()) {
                updateStatus(status.withGeneration(outcome.generation()));
            }
            return outcome;
        }
    }

    /** Stops the sandbox (SIGTERM, then SIGKILL after the grace) and waits for the teardown. */
    @Override
    public void close() {
        stopRequested = true;
        teardown(SandboxPhase.STOPPED, null);
    }

    private String control(String command, byte[] body) {
        return switch (command) {
            case "status" -> status.toJson();
            case "reload" -> reload(body, "control socket").toJson();
            default -> ControlSocket.errorReply("unknown command '" + command + "'");
        };
    }

    private void watchLauncher(String line) {
        if (line.startsWith("openshell-launch: ") && !line.startsWith("openshell-launch: warning:")) {
            launcherError = line.substring("openshell-launch: ".length());
        }
    }

    /** A limit was hit: the sandbox ends (teardown names the limit), never the host's processes. */
    private void limitHit(String reason) {
        log.event("limit: " + reason + "; ending the sandbox");
        Thread.ofVirtual().start(() -> teardown(SandboxPhase.STOPPED, null));
    }

    private void agentExited() {
        int code = agent.exitValue();
        for (Thread pump : pumps) {
            TeardownSteps.joinQuietly(pump);
        }
        if (!stopRequested && launcherError != null && code >= 125 && code <= 127) {
            teardown(SandboxPhase.ERROR, "sandbox setup failed: " + launcherError);
        } else if (!stopRequested && code == 125 && options.console() == AgentConsole.TERMINAL && !agentForked) {
            teardown(SandboxPhase.ERROR, "sandbox setup failed (the launcher's message is above)");
        } else {
            teardown(SandboxPhase.STOPPED, null);
        }
    }

    /** Removes everything the sandbox made; runs once, later callers wait for the first. */
    private void teardown(SandboxPhase finalPhase, String reason) {
        synchronized (teardownLock) {
            if (tornDown) {
                return;
            }
            tornDown = true;
            List<RuntimeException> failures = new ArrayList<>();
            if (status.phase() == SandboxPhase.READY) {
                updateStatusQuietly(status.withPhase(SandboxPhase.STOPPING, null));
            }
            attempt(failures, () -> TeardownSteps.close(control));
            attempt(failures, () -> TeardownSteps.close(ssh));
            attempt(failures, () -> TeardownSteps.close(bypassWatch));
            attempt(failures, () -> {
                if (bypassWatch != null) {
                    bypassWatch.poll(); // what happened since the last poll still counts
                }
            });
            SandboxStop.endAll(agent, claims, status.netnsInode(), options.stopGrace(), failures);
            Integer exitCode = null;
            if (agent != null) {
                exitCode = AgentExit.await(agent);
                pumps.forEach(TeardownSteps::joinQuietly);
            }
            String limitReason = claims == null ? null : claims.limitReason().orElse(null);
            if (limitReason != null && exitCode != null && exitCode < 128) {
                // The limit ended the sandbox even when the agent gave up by itself first (a shell
                // exits 2 on a refused fork before the watcher's next poll): say so as a kill would.
                exitCode = 128 + 9;
            }
            attempt(failures, () -> TeardownSteps.close(proxy));
            attempt(failures, () -> TeardownSteps.close(dns));
            attempt(failures, () -> TeardownSteps.close(decisions));
            attempt(failures, () -> TeardownSteps.close(network));
            if (ownStateDir) {
                attempt(failures, () -> StaleSandboxes.deleteRecursively(stateDir.resolve(TRUST_DIR)));
                // The client key is a credential: it never outlives the sandbox.
                attempt(failures, () -> StaleSandboxes.deleteRecursively(stateDir.resolve(SSH_DIR)));
            }
            if (ownWorkdir) {
                attempt(failures, () -> StaleSandboxes.deleteRecursively(stateDir.resolve(WORK_DIR)));
            }
            // The cgroup once empty, the uid last: nothing of this sandbox is left that could run as it.
            attempt(failures, () -> TeardownSteps.close(claims));
            SandboxStatus last = status;
            if (exitCode != null) {
                last = last.withExit(
                        exitCode, limitReason != null ? limitReason : AgentExit.reason(exitCode, stopRequested));
            }
            if (limitReason != null && reason == null) {
                reason = limitReason;
            }
            if (!failures.isEmpty() && finalPhase == SandboxPhase.STOPPED) {
                finalPhase = SandboxPhase.ERROR;
                reason = "teardown incomplete: " + failures.getFirst().getMessage();
            }
            last = last.withPhase(finalPhase, reason);
            if (log != null) {
                log.event(finalPhase.display().toLowerCase(java.util.Locale.ROOT)
                        + (reason == null ? "" : ": " + reason)
                        + (exitCode == null ? "" : "; agent " + last.exitReason() + ", exit code " + exitCode));
                log.close();
            }
            status = last;
            // Without ownStateDir the directory is another sandbox's, or none was made.
            if (ownStateDir && spec.keepState()) {
                updateStatusQuietly(last);
                StateDirectories.lockDownQuietly(stateDir);
            } else if (ownStateDir) {
                StaleSandboxes.deleteRecursively(stateDir);
            }
            ended.complete(last);
        }
    }

    private void updateStatus(SandboxStatus next) {
        status = next;
        if (ownStateDir) {
            next.write(stateDir);
        }
    }

    private void updateStatusQuietly(SandboxStatus next) {
        status = next;
        try {
            next.write(stateDir);
        } catch (UncheckedIOException e) {
            // the state directory is gone; the in-memory status still answers
        }
    }

    private static SandboxException asSandboxException(Exception e) {
        return switch (e) {
            // Launcher, network, SSH and identity failures are SandboxExceptions with their own codes.
            case SandboxException s -> s;
            case PolicyException p -> new SandboxException(ErrorCode.POLICY_INVALID, p.getMessage(), p);
            default -> new SandboxException(ErrorCode.START_FAILED, "sandbox start failed: " + e.getMessage(), e);
        };
    }
}
