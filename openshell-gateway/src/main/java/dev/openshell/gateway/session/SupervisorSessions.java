package dev.openshell.gateway.session;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.gateway.compute.DriverException;
import dev.openshell.gateway.compute.ExecCommand;
import dev.openshell.gateway.compute.ExecOutcome;
import dev.openshell.gateway.compute.WorkloadEvents;
import dev.openshell.gateway.sandbox.RevisionStore;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The supervisor sessions that are up, one per sandbox (a newer one replaces an older one), and
 * what travels over them: policy revisions pushed (a revision set while a session was down is
 * pushed when it says hello), exec and tunnel streams relayed, and what supervisors report
 * (hello = the sandbox is Ready, policy results, logs, decisions, the agent's exit) handed to the
 * gateway's {@link WorkloadEvents}. Works for every driver: a supervisor connects out, wherever it runs.
 */
@Component
public class SupervisorSessions {

    private static final Logger log = LoggerFactory.getLogger(SupervisorSessions.class);
    /** Output a non-streaming exec keeps per stream; the rest is cut off ({@code truncated}). */
    static final int MAX_EXEC_OUTPUT = 8 << 20;

    static final int MAX_BATCH = 10_000;

    private final Map<String, SupervisorConnection> connections = new ConcurrentHashMap<>();
    /** Open exec and tunnel streams by id; each belongs to one sandbox, whose supervisor alone may feed it. */
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();

    private final RevisionStore revisions;
    private final ObjectProvider<WorkloadEvents> events;

    SupervisorSessions(RevisionStore revisions, ObjectProvider<WorkloadEvents> events) {
        this.revisions = revisions;
        this.events = events;
    }

    /** Whether the sandbox's supervisor is connected now. */
    public boolean isUp(String sandboxId) {
        return connections.containsKey(sandboxId);
    }

    /**
     * Sends revision {@code revision} to the sandbox; false when its session is down (it gets the
     * newest revision when it connects again).
     */
    public boolean pushPolicy(String sandboxId, long revision, String policyYaml) {
        SupervisorConnection c = connections.get(sandboxId);
        return c != null && c.send(new SessionMessage.PolicyPush(revision, policyYaml));
    }

    /** Runs a command and waits for it (non-streaming exec); output beyond 8 MiB per stream is cut. */
    public ExecOutcome exec(String sandboxId, ExecCommand command) {
        ExecCollector collector = new ExecCollector(MAX_EXEC_OUTPUT);
        ExecChannel channel = openExec(sandboxId, command.argv(), false, 0, 0, command.timeout(), collector);
        try {
            channel.input(command.stdin(), true);
            // The supervisor enforces the timeout; allow it a little longer to answer.
            return collector.await(command.timeout().plus(Duration.ofSeconds(5)), channel);
        } finally {
            channel.close();
        }
    }

    /**
     * Starts a command whose frames ({@link SessionMessage.ExecOutput}, then one {@link
     * SessionMessage.ExecExit}) go to {@code sink}.
     */
    public ExecChannel openExec(
            String sandboxId,
            java.util.List<String> argv,
            boolean tty,
            int columns,
            int rows,
            Duration timeout,
            Consumer<SessionMessage> sink) {
        SupervisorConnection c = require(sandboxId);
        String id = "x-" + UUID.randomUUID();
        streams.put(id, new Stream(sandboxId, sink));
        boolean sent =
                c.send(new SessionMessage.ExecStart(id, argv, tty, tty ? columns : null, tty ? rows : null, timeout));
        if (!sent) {
            streams.remove(id);
            throw down(sandboxId);
        }
        return new ExecChannel(id, c, () -> streams.remove(id));
    }

    /** Opens a byte stream to the sandbox's SSH server; frames for it go to {@code sink}. */
    public TunnelChannel openTunnel(String sandboxId, Consumer<SessionMessage> sink) {
        SupervisorConnection c = require(sandboxId);
        String id = "t-" + UUID.randomUUID();
        streams.put(id, new Stream(sandboxId, sink));
        if (!c.send(new SessionMessage.TunnelOpen(id))) {
            streams.remove(id);
            throw down(sandboxId);
        }
        return new TunnelChannel(id, c, () -> streams.remove(id));
    }

    /**
     * Has the sandbox's SSH server let {@code publicKey} in; returns its host key line.
     *
     * @throws ApiException {@code validation_failed} when the supervisor refused the key
     */
    public String authorizeSshKey(String sandboxId, String publicKey) {
        SupervisorConnection c = require(sandboxId);
        String id = "k-" + UUID.randomUUID();
        java.util.concurrent.CompletableFuture<SessionMessage.SshAuthorized> answer =
                new java.util.concurrent.CompletableFuture<>();
        streams.put(id, new Stream(sandboxId, m -> {
            if (m instanceof SessionMessage.SshAuthorized a) {
                answer.complete(a);
            }
        }));
        try {
            if (!c.send(new SessionMessage.SshAuthorize(id, publicKey))) {
                throw down(sandboxId);
            }
            SessionMessage.SshAuthorized a = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
            if (a.error() != null || a.hostKey() == null) {
                throw dev.openshell.api.ApiException.invalid(
                        "public_key", a.error() == null ? "refused by the sandbox" : a.error());
            }
            return a.hostKey();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new DriverException(ErrorCode.TIMEOUT, "the sandbox did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(ErrorCode.UNAVAILABLE, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new DriverException(ErrorCode.INTERNAL, "authorizing the key failed");
        } finally {
            streams.remove(id);
        }
    }

    private SupervisorConnection require(String sandboxId) {
        SupervisorConnection c = connections.get(sandboxId);
        if (c == null) {
            throw down(sandboxId);
        }
        return c;
    }

    private static DriverException down(String sandboxId) {
        return new DriverException(
                ErrorCode.UNAVAILABLE,
                "the sandbox's supervisor is not connected to the gateway (it reconnects on its own): retry shortly");
    }

    void connected(String sandboxId, SupervisorConnection connection) {
        SupervisorConnection old = connections.put(sandboxId, connection);
        if (old != null && old != connection) {
            old.close();
        }
    }

    void disconnected(String sandboxId, SupervisorConnection connection) {
        if (connections.remove(sandboxId, connection)) {
            log.info("supervisor session of {} ended", sandboxId);
            // Its commands and tunnels cannot finish any more: end them now instead of at their timeouts.
            streams.forEach((id, stream) -> {
                if (stream.sandboxId().equals(sandboxId)) {
                    stream.sink()
                            .accept(new SessionMessage.ExecExit(
                                    id,
                                    255,
                                    false,
                                    "the sandbox's supervisor disconnected; the command's fate is unknown"));
                    stream.sink().accept(new SessionMessage.TunnelClose(id, "the sandbox's supervisor disconnected"));
                }
            });
        }
    }

    /** A frame from the supervisor of {@code sandboxId}. */
    void received(String sandboxId, SupervisorConnection connection, SessionMessage message) {
        WorkloadEvents sink = events.getObject();
        switch (message) {
            case SessionMessage.Hello hello -> {
                connected(sandboxId, connection);
                sink.policyLoaded(sandboxId, hello.policyRevision());
                sink.running(sandboxId);
                revisions
                        .newest(sandboxId)
                        .filter(r -> r.number() > hello.policyRevision())
                        .ifPresent((PolicyRevision r) ->
                                connection.send(new SessionMessage.PolicyPush(r.number(), r.policy())));
            }
            case SessionMessage.PolicyResult result -> {
                if (result.status() == RevisionStatus.LOADED) {
                    sink.policyLoaded(sandboxId, result.revision());
                } else {
                    sink.policyFailed(
                            sandboxId, result.revision(), result.error() == null ? "rejected" : result.error());
                }
            }
            case SessionMessage.Logs logs -> sink.logs(sandboxId, bounded(logs.lines()));
            case SessionMessage.Decisions decisions -> sink.decisions(sandboxId, bounded(decisions.records()));
            case SessionMessage.AgentExited exited -> sink.exited(sandboxId, exited.exitCode());
            case SessionMessage.ExecOutput output -> route(sandboxId, output.execId(), message);
            case SessionMessage.ExecExit exit -> route(sandboxId, exit.execId(), message);
            case SessionMessage.TunnelData data -> route(sandboxId, data.tunnelId(), message);
            case SessionMessage.TunnelClose close -> route(sandboxId, close.tunnelId(), message);
            case SessionMessage.SshAuthorized authorized -> route(sandboxId, authorized.requestId(), message);
            default ->
                log.debug(
                        "ignoring {} from the supervisor of {}",
                        message.getClass().getSimpleName(),
                        sandboxId);
        }
    }

    private void route(String sandboxId, String streamId, SessionMessage message) {
        Stream stream = streamId == null ? null : streams.get(streamId);
        // Another sandbox's stream is not this supervisor's to write to, even with its id.
        if (stream != null && stream.sandboxId().equals(sandboxId)) {
            stream.sink().accept(message);
        }
    }

    /** Batches as large as the REST endpoints accept, at most; the rest of a bigger one is dropped. */
    private static <T> java.util.List<T> bounded(java.util.List<T> items) {
        return items.size() <= MAX_BATCH ? items : items.subList(0, MAX_BATCH);
    }

    private record Stream(String sandboxId, Consumer<SessionMessage> sink) {}
}
