package dev.openshell.gateway.session;

import dev.openshell.api.json.ApiJson;
import dev.openshell.api.session.SessionMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The gateway's end of supervisor sessions: frames are read strictly (an unreadable one ends the
 * session) and handed to {@link SupervisorSessions}, in the order they arrived. The session counts
 * as up once the supervisor said hello.
 */
final class SupervisorSessionHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(SupervisorSessionHandler.class);
    private static final String CONNECTION = "openshell.connection";

    private final SupervisorSessions sessions;

    SupervisorSessionHandler(SupervisorSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        session.getAttributes().put(CONNECTION, new SupervisorConnection(session));
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage text) throws Exception {
        String sandboxId = (String) session.getAttributes().get(SessionHandshake.SANDBOX_ID);
        SupervisorConnection connection =
                (SupervisorConnection) session.getAttributes().get(CONNECTION);
        SessionMessage message;
        try {
            message = ApiJson.readRequest(text.getPayload(), SessionMessage.class);
        } catch (RuntimeException e) {
            log.warn("supervisor session of {}: unreadable frame: {}", sandboxId, e.getMessage());
            session.close(CloseStatus.BAD_DATA.withReason("unreadable frame"));
            return;
        }
        sessions.received(sandboxId, connection, message);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        String sandboxId = (String) session.getAttributes().get(SessionHandshake.SANDBOX_ID);
        SupervisorConnection connection =
                (SupervisorConnection) session.getAttributes().get(CONNECTION);
        if (sandboxId != null && connection != null) {
            sessions.disconnected(sandboxId, connection);
        }
    }
}
