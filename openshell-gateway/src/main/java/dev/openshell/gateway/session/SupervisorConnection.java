package dev.openshell.gateway.session;

import dev.openshell.api.json.ApiJson;
import dev.openshell.api.session.SessionMessage;
import java.io.IOException;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/** One supervisor's WebSocket; sends are serialised and bounded (a stuck supervisor is dropped, not waited on). */
final class SupervisorConnection {

    private static final int SEND_TIME_LIMIT_MS = 10_000;
    private static final int BUFFER_LIMIT = 64 << 20;

    private final WebSocketSession socket;

    SupervisorConnection(WebSocketSession socket) {
        this.socket = new ConcurrentWebSocketSessionDecorator(socket, SEND_TIME_LIMIT_MS, BUFFER_LIMIT);
    }

    boolean send(SessionMessage message) {
        if (!socket.isOpen()) {
            return false;
        }
        try {
            socket.sendMessage(new TextMessage(ApiJson.strict().writeValueAsString(message)));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    void close() {
        try {
            socket.close(CloseStatus.POLICY_VIOLATION.withReason("replaced by a newer session"));
        } catch (IOException e) {
            // gone already
        }
    }
}
