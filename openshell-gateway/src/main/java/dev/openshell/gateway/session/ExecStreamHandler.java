package dev.openshell.gateway.session;

import dev.openshell.api.json.ApiJson;
import dev.openshell.api.session.ExecSignalName;
import dev.openshell.api.session.SessionMessage;
import java.io.IOException;
import java.util.Base64;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * Streaming exec ({@code GET /api/v1/sandboxes/{name}/exec/stream}, WebSocket): the client's first
 * frame is an {@link SessionMessage.ExecStart}, then {@link SessionMessage.ExecInput}, {@link
 * SessionMessage.ExecResize}, {@link SessionMessage.ExecSignal} or {@link SessionMessage.ExecKill}; it receives {@link
 * SessionMessage.ExecOutput} frames and one {@link SessionMessage.ExecExit}, after which the gateway
 * closes the socket. A client that goes away kills the command.
 */
final class ExecStreamHandler extends TextWebSocketHandler {

    private static final String CHANNEL = "openshell.exec";

    private final SupervisorSessions sessions;

    ExecStreamHandler(SupervisorSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage text) throws Exception {
        SessionMessage message;
        try {
            message = ApiJson.readRequest(text.getPayload(), SessionMessage.class);
        } catch (RuntimeException e) {
            session.close(CloseStatus.BAD_DATA.withReason("unreadable frame"));
            return;
        }
        ExecChannel channel = (ExecChannel) session.getAttributes().get(CHANNEL);
        switch (message) {
            case SessionMessage.ExecStart start when channel == null -> start(session, start);
            case SessionMessage.ExecInput input
            when channel != null ->
                channel.input(Base64.getDecoder().decode(input.data() == null ? "" : input.data()), input.eof());
            case SessionMessage.ExecResize resize
            when channel != null -> channel.resize(resize.columns(), resize.rows());
            case SessionMessage.ExecKill kill when channel != null -> channel.kill();
            case SessionMessage.ExecSignal signal when channel != null -> signal(session, channel, signal);
            default -> session.close(CloseStatus.POLICY_VIOLATION.withReason("unexpected frame"));
        }
    }

    /** A name outside {@link ExecSignalName} ends the stream (and the command) with a reason that lists them. */
    private static void signal(WebSocketSession session, ExecChannel channel, SessionMessage.ExecSignal signal)
            throws IOException {
        var name = ExecSignalName.parse(signal.signal());
        if (name.isPresent()) {
            channel.signal(name.get());
        } else {
            session.close(CloseStatus.POLICY_VIOLATION.withReason(
                    "signal: must be one of " + ExecSignalName.accepted() + " (a window change is exec_resize)"));
        }
    }

    private void start(WebSocketSession session, SessionMessage.ExecStart start) throws IOException {
        if (start.command().isEmpty() || start.command().getFirst().isEmpty()) {
            session.close(CloseStatus.POLICY_VIOLATION.withReason("command: must name a program to run"));
            return;
        }
        String sandboxId = (String) session.getAttributes().get(SessionHandshake.SANDBOX_ID);
        WebSocketSession out = new ConcurrentWebSocketSessionDecorator(session, 10_000, 16 << 20);
        String clientId = start.execId() == null ? "exec" : start.execId();
        ExecChannel channel;
        try {
            channel = sessions.openExec(
                    sandboxId,
                    start.command(),
                    start.tty(),
                    start.columns() == null ? 80 : start.columns(),
                    start.rows() == null ? 24 : start.rows(),
                    start.timeout(),
                    frame -> relay(out, clientId, frame));
        } catch (RuntimeException e) {
            session.close(CloseStatus.SERVICE_RESTARTED.withReason("the sandbox's supervisor is not connected"));
            return;
        }
        session.getAttributes().put(CHANNEL, channel);
    }

    private static void relay(WebSocketSession out, String clientId, SessionMessage frame) {
        SessionMessage renamed = switch (frame) {
            case SessionMessage.ExecOutput o -> new SessionMessage.ExecOutput(clientId, o.stream(), o.data());
            case SessionMessage.ExecExit x ->
                new SessionMessage.ExecExit(clientId, x.exitCode(), x.timedOut(), x.error());
            default -> null;
        };
        if (renamed == null) {
            return;
        }
        try {
            out.sendMessage(new TextMessage(ApiJson.strict().writeValueAsString(renamed)));
            if (renamed instanceof SessionMessage.ExecExit) {
                out.close(CloseStatus.NORMAL);
            }
        } catch (IOException | RuntimeException e) {
            // the client went away; afterConnectionClosed kills the command
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        ExecChannel channel = (ExecChannel) session.getAttributes().remove(CHANNEL);
        if (channel != null) {
            channel.kill();
            channel.close();
        }
    }
}
