package dev.openshell.api.client;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.ExecResult;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.validation.DurationText;
import dev.openshell.api.validation.LabelSelector;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The sandbox calls of a {@link GatewayClient}. */
public final class SandboxesClient {

    private final GatewayClient client;

    SandboxesClient(GatewayClient client) {
        this.client = client;
    }

    /** Creates a sandbox; pass {@link RequestOptions#idempotent()} (and reuse it on retry) so a retry never creates two. */
    public Sandbox create(SandboxCreateRequest request, RequestOptions options) {
        return client.post(ApiPaths.SANDBOXES, request, Sandbox.class, options);
    }

    public Sandbox get(String name) {
        return client.get(ApiPaths.sandbox(name), Map.of(), Sandbox.class);
    }

    /** Every sandbox whose labels match {@code selector}. */
    public Stream<Sandbox> list(LabelSelector selector) {
        Map<String, String> query = new HashMap<>();
        if (selector != null && !selector.requirements().isEmpty()) {
            query.put(ApiPaths.LABEL_SELECTOR, selector.toString());
        }
        return client.listAll(ApiPaths.SANDBOXES, query, Sandbox.class);
    }

    public DeleteResult delete(String name) {
        return client.delete(ApiPaths.sandbox(name), RequestOptions.NONE);
    }

    public Sandbox stop(String name) {
        return client.post(ApiPaths.sandboxStop(name), null, Sandbox.class, RequestOptions.NONE);
    }

    public Sandbox start(String name) {
        return client.post(ApiPaths.sandboxStart(name), null, Sandbox.class, RequestOptions.NONE);
    }

    /** Starts the sandbox; with {@code wait}, the answer comes once it is Ready or failed. */
    public Sandbox start(String name, boolean wait, RequestOptions options) {
        String path = ApiPaths.sandboxStart(name) + (wait ? "?wait=true" : "");
        return client.post(path, null, Sandbox.class, options);
    }

    /** Runs a command and waits for it; the client's timeout must outlast the command's. */
    public ExecResult exec(String name, ExecRequest request, RequestOptions options) {
        return client.post(ApiPaths.sandboxExec(name), request, ExecResult.class, options);
    }

    /** Extracts the tar stream {@code tar} into directory {@code dir} of the sandbox (made if missing). */
    public void upload(String name, String dir, java.io.InputStream tar) {
        client.putStream(
                ApiPaths.sandboxFiles(name) + QueryString.of(Map.of("path", dir)),
                "application/x-tar",
                tar,
                RequestOptions.NONE);
    }

    /** Writes {@code path} of the sandbox to {@code out} as a tar stream (one entry, named by its last segment). */
    public void download(String name, String path, java.io.OutputStream out) {
        client.getStream(ApiPaths.sandboxFiles(name) + QueryString.of(Map.of("path", path)), out, RequestOptions.NONE);
    }

    /**
     * Starts a streaming exec: send one {@link dev.openshell.api.session.SessionMessage.ExecStart}
     * frame, then input and resizes; {@code listener} receives output frames and one exit frame.
     */
    public java.net.http.WebSocket execStream(String name, java.net.http.WebSocket.Listener listener) {
        return client.openWebSocket(ApiPaths.sandboxExecStream(name), listener);
    }

    /** Lets the SSH key {@code publicKeyLine} into the sandbox (until it stops); answers how to trust its server. */
    public dev.openshell.api.sandbox.SshAccess authorizeSshKey(String name, String publicKeyLine) {
        return client.post(
                ApiPaths.sandboxSshKeys(name),
                new dev.openshell.api.sandbox.SshKeyRequest(publicKeyLine),
                dev.openshell.api.sandbox.SshAccess.class,
                RequestOptions.NONE);
    }

    /** Opens the SSH tunnel: binary frames carry one SSH connection's bytes each way. */
    public java.net.http.WebSocket sshTunnel(String name, java.net.http.WebSocket.Listener listener) {
        return client.openWebSocket(ApiPaths.sandboxSsh(name), listener);
    }

    /** The sandbox's log lines, oldest first; {@code since} limits them to that recent past (null: all kept). */
    public Stream<LogLine> logs(String name, Duration since) {
        return logs(name, since, null);
    }

    /** The log lines written by {@code source} (null: every source), oldest first. */
    public Stream<LogLine> logs(String name, Duration since, LogLine.Source source) {
        return client.listAll(ApiPaths.sandboxLogs(name), logQuery(since, source), LogLine.class);
    }

    /**
     * Follows the log: the lines kept (within {@code since}), then each new one as it arrives,
     * until the sandbox is deleted or the follow is closed. Fails at once for a missing sandbox.
     */
    public LogFollow follow(String name, Duration since, LogLine.Source source) {
        return new LogFollow(client.openStream(
                ApiPaths.sandboxLogs(name) + QueryString.of(logQuery(since, source)), "text/event-stream"));
    }

    private static Map<String, String> logQuery(Duration since, LogLine.Source source) {
        Map<String, String> query = new HashMap<>();
        if (since != null) {
            query.put("since", DurationText.format(since));
        }
        if (source != null) {
            query.put("source", source.wire());
        }
        return query;
    }
}
