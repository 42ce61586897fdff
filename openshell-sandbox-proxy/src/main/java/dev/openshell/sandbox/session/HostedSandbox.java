package dev.openshell.sandbox.session;

import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.session.ExecSignalName;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.supervisor.ReloadOutcome;
import dev.openshell.sandbox.supervisor.SandboxLog;
import dev.openshell.sandbox.supervisor.SandboxStatus;
import dev.openshell.sandbox.supervisor.SandboxSupervisor;
import dev.openshell.sandbox.supervisor.SupervisorOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * One sandbox of a {@link SandboxHost}: its {@link SandboxSupervisor} (network, proxy, confined
 * agent, SSH server) and its {@link SupervisorSession} with the gateway, which pushes policy
 * revisions (loaded with {@link SandboxSupervisor#reload}, answered loaded or failed with the
 * error) and runs commands ({@link SessionExec}) and SSH tunnels; logs and decisions go the other
 * way ({@link EventShipper}). Policy revisions are the gateway's numbers; the supervisor counts its
 * own generations, and decisions are reported under the revision their generation enforced.
 */
final class HostedSandbox implements AutoCloseable {

    /** How long the agent's exit waits for a session that is not up yet. */
    private static final Duration LAST_WORD_PATIENCE = Duration.ofSeconds(30);

    private final HostRequest.Sandbox definition;
    private final SandboxSupervisor supervisor;
    private final SupervisorSession session;
    private final EventShipper shipper;
    private final SshTunnels tunnels;
    private final Map<String, RunningCommand> execs = new ConcurrentHashMap<>();
    private final Map<Long, Long> revisionOfGeneration;
    private final Object policyLock = new Object();
    private volatile long enforcedRevision;
    private volatile boolean closing;

    private HostedSandbox(
            HostRequest.Sandbox definition,
            SandboxSupervisor supervisor,
            SupervisorSession session,
            EventShipper shipper,
            Map<Long, Long> revisionOfGeneration) {
        this.definition = definition;
        this.supervisor = supervisor;
        this.session = session;
        this.shipper = shipper;
        this.revisionOfGeneration = revisionOfGeneration;
        this.enforcedRevision = definition.policyRevision();
        this.revisionOfGeneration.put(supervisor.status().policyGeneration(), definition.policyRevision());
        this.tunnels = new SshTunnels(() -> supervisor.sshEndpoint().orElse(null), session::send);
    }

    /**
     * Starts the sandbox (returns once its agent runs) and its session (which connects in the
     * background); {@code exited} hears the agent's exit code when it ends on its own.
     */
    static HostedSandbox start(
            HostRequest.Sandbox definition,
            SandboxSpec spec,
            SupervisorOptions options,
            Supplier<GatewayTarget> gateway,
            IntConsumer exited) {
        // The session and the shipper exist before the supervisor, so its first and last events are shipped.
        Map<Long, Long> generations = new ConcurrentHashMap<>();
        HostedSandbox[] self = new HostedSandbox[1];
        SupervisorSession session = new SupervisorSession(
                definition.name(),
                definition.supervisorToken(),
                gateway,
                () -> new SessionMessage.Hello(definition.id(), self[0].enforcedRevision),
                message -> self[0].handle(message),
                () -> {});
        EventShipper shipper = new EventShipper(
                session::send, generation -> generations.getOrDefault(generation, self[0].enforcedRevision));
        SandboxSupervisor supervisor;
        try {
            supervisor = SandboxSupervisor.start(
                    spec, options.withEvents(shipper::supervisorEvent).withSandboxName(definition.name()));
        } catch (RuntimeException e) {
            shipper.close();
            throw e;
        }
        HostedSandbox hosted = new HostedSandbox(definition, supervisor, session, shipper, generations);
        self[0] = hosted;
        shipper.start(
                supervisor.stateDir().resolve(SandboxLog.FILE),
                supervisor.stateDir().resolve("decisions.log"));
        hosted.session.start();
        Thread.ofVirtual().name("agent-" + definition.id()).start(() -> {
            int code = supervisor.awaitExit();
            if (!hosted.closing) {
                SandboxStatus last = supervisor.status();
                hosted.shipper.close();
                // An agent that ends before the session connected (a quick command, a loaded
                // machine) still reports its exit; a gateway that stays away learns it from the
                // host's state when it reconciles.
                hosted.session.sendWhenUp(new SessionMessage.AgentExited(code, last.exitReason()), LAST_WORD_PATIENCE);
                hosted.session.close();
                exited.accept(code);
            }
        });
        return hosted;
    }

    String id() {
        return definition.id();
    }

    long enforcedRevision() {
        return enforcedRevision;
    }

    boolean sessionUp() {
        return session.isUp();
    }

    /** The gateway moved (restarted on another address): connect there now. */
    void reconnect() {
        session.reconnect();
    }

    private void handle(SessionMessage message) {
        switch (message) {
            case SessionMessage.PolicyPush push -> load(push);
            case SessionMessage.ExecStart start -> exec(start);
            case SessionMessage.ExecInput input -> {
                RunningCommand exec = execs.get(input.execId());
                if (exec != null) {
                    exec.input(Base64.getDecoder().decode(input.data() == null ? "" : input.data()), input.eof());
                }
            }
            case SessionMessage.ExecKill kill -> {
                RunningCommand exec = execs.get(kill.execId());
                if (exec != null) {
                    exec.kill();
                }
            }
            case SessionMessage.ExecSignal signal -> {
                RunningCommand exec = execs.get(signal.execId());
                ExecSignalName name = ExecSignalName.parse(signal.signal()).orElse(null);
                if (exec != null && name != null) {
                    exec.signal(name);
                }
            }
            case SessionMessage.ExecResize resize -> {
                RunningCommand exec = execs.get(resize.execId());
                if (exec != null) {
                    exec.resize(resize.columns(), resize.rows());
                }
            }
            case SessionMessage.SshAuthorize authorize -> {
                try {
                    String hostKey = supervisor.authorizeSshKey(authorize.publicKey());
                    session.send(new SessionMessage.SshAuthorized(authorize.requestId(), hostKey, null));
                } catch (RuntimeException e) {
                    session.send(new SessionMessage.SshAuthorized(authorize.requestId(), null, e.getMessage()));
                }
            }
            case SessionMessage.TunnelOpen open -> tunnels.open(open.tunnelId());
            case SessionMessage.TunnelData data -> tunnels.data(data.tunnelId(), data.data());
            case SessionMessage.TunnelClose close -> tunnels.close(close.tunnelId(), null);
            default -> {} // frames only a supervisor sends
        }
    }

    private void load(SessionMessage.PolicyPush push) {
        synchronized (policyLock) {
            if (push.revision() < enforcedRevision) {
                return; // an older revision arrived late: the newer one stays
            }
            if (push.revision() == enforcedRevision) {
                session.send(new SessionMessage.PolicyResult(push.revision(), RevisionStatus.LOADED, null));
                return;
            }
            ReloadOutcome outcome = supervisor.reload(
                    push.policy().getBytes(StandardCharsets.UTF_8), "gateway revision " + push.revision());
            if (outcome.loaded()) {
                revisionOfGeneration.put(outcome.generation(), push.revision());
                enforcedRevision = push.revision();
                session.send(new SessionMessage.PolicyResult(push.revision(), RevisionStatus.LOADED, null));
            } else {
                session.send(new SessionMessage.PolicyResult(
                        push.revision(), RevisionStatus.FAILED, truncate(outcome.error())));
            }
        }
    }

    private void exec(SessionMessage.ExecStart start) {
        var processes = supervisor.confinedProcesses().orElse(null);
        if (processes == null || execs.containsKey(start.execId())) {
            session.send(
                    new SessionMessage.ExecExit(start.execId(), 126, false, "the sandbox cannot run commands now"));
            return;
        }
        Runnable done = () -> execs.remove(start.execId());
        RunningCommand exec = start.tty()
                ? SessionTerminal.start(start, processes, session::send, done)
                : SessionExec.start(start, processes, session::send, done);
        if (exec != null) {
            execs.put(start.execId(), exec);
            if (exec.finished()) {
                execs.remove(start.execId(), exec); // it ended before it was registered
            }
        }
    }

    private static String truncate(String error) {
        String e = error == null ? "rejected" : error;
        return e.length() > 4000 ? e.substring(0, 4000) + "..." : e;
    }

    /** Stops the sandbox (its agent, network, proxy) and ends the session. */
    @Override
    public void close() {
        closing = true;
        execs.values().forEach(RunningCommand::kill);
        tunnels.close();
        supervisor.close();
        shipper.close();
        session.close();
    }
}
