package dev.openshell.api.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.json.DurationJson;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.validation.TextRules;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One WebSocket text frame of a supervisor session ({@code GET /api/v1/sandboxes/{name}/supervisor/session})
 * or of a streaming exec ({@code GET /api/v1/sandboxes/{name}/exec/stream}): a JSON object whose
 * {@code type} names the record. Bytes travel base64-encoded in {@code data}.
 *
 * <p>Supervisor to gateway: {@link Hello} (first), {@link PolicyResult}, {@link Logs}, {@link
 * Decisions}, {@link ExecOutput}, {@link ExecExit}, {@link AgentExited}, {@link TunnelData}, {@link
 * TunnelClose}. Gateway to supervisor: {@link PolicyPush}, {@link ExecStart}, {@link ExecInput},
 * {@link ExecResize}, {@link ExecKill}, {@link ExecSignal}, {@link TunnelOpen}, {@link TunnelData}, {@link TunnelClose}.
 * A streaming-exec client sends one {@link ExecStart}, then {@link ExecInput}, {@link
 * ExecResize}, {@link ExecSignal} and {@link ExecKill}, and receives {@link ExecOutput} and one {@link ExecExit}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SessionMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = SessionMessage.PolicyPush.class, name = "policy_push"),
    @JsonSubTypes.Type(value = SessionMessage.PolicyResult.class, name = "policy_result"),
    @JsonSubTypes.Type(value = SessionMessage.Logs.class, name = "logs"),
    @JsonSubTypes.Type(value = SessionMessage.Decisions.class, name = "decisions"),
    @JsonSubTypes.Type(value = SessionMessage.AgentExited.class, name = "agent_exited"),
    @JsonSubTypes.Type(value = SessionMessage.ExecStart.class, name = "exec_start"),
    @JsonSubTypes.Type(value = SessionMessage.ExecInput.class, name = "exec_input"),
    @JsonSubTypes.Type(value = SessionMessage.ExecResize.class, name = "exec_resize"),
    @JsonSubTypes.Type(value = SessionMessage.ExecKill.class, name = "exec_kill"),
    @JsonSubTypes.Type(value = SessionMessage.ExecSignal.class, name = "exec_signal"),
    @JsonSubTypes.Type(value = SessionMessage.ExecOutput.class, name = "exec_output"),
    @JsonSubTypes.Type(value = SessionMessage.ExecExit.class, name = "exec_exit"),
    @JsonSubTypes.Type(value = SessionMessage.TunnelOpen.class, name = "tunnel_open"),
    @JsonSubTypes.Type(value = SessionMessage.TunnelData.class, name = "tunnel_data"),
    @JsonSubTypes.Type(value = SessionMessage.TunnelClose.class, name = "tunnel_close"),
    @JsonSubTypes.Type(value = SessionMessage.SshAuthorize.class, name = "ssh_authorize"),
    @JsonSubTypes.Type(value = SessionMessage.SshAuthorized.class, name = "ssh_authorized")
})
public sealed interface SessionMessage {

    /** The most bytes one {@code data} field carries (before base64). */
    int MAX_CHUNK = 64 * 1024;

    /**
     * The supervisor's first frame.
     *
     * @param sandboxId the sandbox it supervises
     * @param policyRevision the revision it enforces now (the gateway pushes a newer one at once)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Hello(String sandboxId, long policyRevision) implements SessionMessage {}

    /** A policy revision to enforce (canonical YAML). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PolicyPush(long revision, String policy) implements SessionMessage {}

    /**
     * The supervisor's answer to a {@link PolicyPush}.
     *
     * @param status {@code loaded} or {@code failed}
     * @param error why it was rejected; only with {@code failed}
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PolicyResult(long revision, RevisionStatus status, String error) implements SessionMessage {}

    /** A batch of log lines (agent output and supervisor events). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Logs(List<LogLine> lines) implements SessionMessage {
        public Logs {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }
    }

    /** A batch of the proxy's decisions. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Decisions(List<DecisionRecord> records) implements SessionMessage {
        public Decisions {
            records = records == null ? List.of() : List.copyOf(records);
        }
    }

    /** The agent's main process exited; the sandbox is torn down (its workspace kept). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AgentExited(int exitCode, String reason) implements SessionMessage {}

    /**
     * Starts a command in the sandbox (confined like the agent).
     *
     * @param execId chosen by the sender, unique within the session
     * @param tty whether the command gets a terminal of {@code columns} x {@code rows}
     * @param timeout when the command is killed (exit 124); absent: never
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecStart(
            String execId,
            List<String> command,
            boolean tty,
            Integer columns,
            Integer rows,

            @JsonSerialize(using = DurationJson.Writer.class) @JsonDeserialize(using = DurationJson.Reader.class)
            Duration timeout)
            implements SessionMessage {
        public ExecStart {
            command = TextRules.copyOf("command", command);
        }
    }

    /** Bytes for the command's stdin; {@code eof}: then close it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecInput(String execId, String data, boolean eof) implements SessionMessage {
        public static ExecInput of(String execId, byte[] bytes, boolean eof) {
            return new ExecInput(execId, encode(bytes), eof);
        }
    }

    /** The command's terminal has a new size. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecResize(String execId, int columns, int rows) implements SessionMessage {}

    /** Kill the command (the client went away, or the gateway's timeout passed). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecKill(String execId) implements SessionMessage {}

    /**
     * Deliver a signal to the command: {@code signal} is one of {@link ExecSignalName} ({@code INT},
     * {@code TERM}, {@code HUP}, {@code QUIT}, {@code KILL}); a window change is an {@link
     * ExecResize}. Without a terminal it reaches the command's process; with one, the terminal's
     * foreground process group (Ctrl-C in an attached terminal reaches the foreground job).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecSignal(String execId, String signal) implements SessionMessage {}

    /** Output of the command; {@code stream} is {@code stdout} or {@code stderr} (a terminal's is stdout). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecOutput(String execId, LogLine.Stream stream, String data) implements SessionMessage {
        public static ExecOutput of(String execId, LogLine.Stream stream, byte[] bytes, int length) {
            return new ExecOutput(execId, stream, encode(java.util.Arrays.copyOf(bytes, length)));
        }
    }

    /**
     * The command ended: its exit status (124 after a timeout, 128 + n for a signal), or {@code
     * error} when it could not start (exit 127 or 126).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecExit(String execId, int exitCode, boolean timedOut, String error) implements SessionMessage {}

    /** Opens a byte stream to the sandbox's SSH server. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TunnelOpen(String tunnelId) implements SessionMessage {}

    /** Bytes of a tunnel, either way. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TunnelData(String tunnelId, String data) implements SessionMessage {
        public static TunnelData of(String tunnelId, byte[] bytes, int length) {
            return new TunnelData(tunnelId, encode(java.util.Arrays.copyOf(bytes, length)));
        }
    }

    /** A tunnel ended, either way ({@code error}: why, when it failed). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TunnelClose(String tunnelId, String error) implements SessionMessage {}

    /** Let an SSH client with this OpenSSH public key into the sandbox's SSH server (until it stops). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SshAuthorize(String requestId, String publicKey) implements SessionMessage {}

    /** The answer: the server's host key line (for {@code known_hosts}), or why not. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SshAuthorized(String requestId, String hostKey, String error) implements SessionMessage {}

    /** {@code data} fields: base64. */
    static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A {@code data} field's bytes; an absent one is empty. */
    static byte[] decode(String data) {
        return data == null ? new byte[0] : Base64.getDecoder().decode(data);
    }
}
