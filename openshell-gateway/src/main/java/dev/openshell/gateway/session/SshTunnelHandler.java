package dev.openshell.gateway.session;

import dev.openshell.api.session.SessionMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * The SSH tunnel ({@code GET /api/v1/sandboxes/{name}/ssh}, WebSocket, binary frames): the bytes of
 * one SSH connection to the sandbox's SSH server, relayed over its supervisor session. A {@code
 * ProxyCommand} that copies stdin/stdout to this WebSocket lets a standard {@code ssh} connect; the
 * SSH server still authenticates the client with the sandbox's key.
 */
final class SshTunnelHandler extends BinaryWebSocketHandler {

    private static final String CHANNEL = "openshell.tunnel";

    private final SupervisorSessions sessions;

    SshTunnelHandler(SupervisorSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        String sandboxId = (String) session.getAttributes().get(SessionHandshake.SANDBOX_ID);
        WebSocketSession out = new ConcurrentWebSocketSessionDecorator(session, 10_000, 16 << 20);
        try {
            TunnelChannel channel = sessions.openTunnel(sandboxId, frame -> relay(out, frame));
            session.getAttributes().put(CHANNEL, channel);
        } catch (RuntimeException e) {
            session.close(CloseStatus.SERVICE_RESTARTED.withReason("the sandbox's supervisor is not connected"));
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        TunnelChannel channel = (TunnelChannel) session.getAttributes().get(CHANNEL);
        if (channel != null) {
            ByteBuffer payload = message.getPayload();
            byte[] bytes = new byte[payload.remaining()];
            payload.get(bytes);
            for (int offset = 0; offset < bytes.length; offset += SessionMessage.MAX_CHUNK) {
                int n = Math.min(SessionMessage.MAX_CHUNK, bytes.length - offset);
                channel.write(java.util.Arrays.copyOfRange(bytes, offset, offset + n), n);
            }
        }
    }

    private static void relay(WebSocketSession out, SessionMessage frame) {
        try {
            switch (frame) {
                case SessionMessage.TunnelData d ->
                    out.sendMessage(new BinaryMessage(Base64.getDecoder().decode(d.data() == null ? "" : d.data())));
                case SessionMessage.TunnelClose c -> out.close(CloseStatus.NORMAL);
                default -> {}
            }
        } catch (IOException | RuntimeException e) {
            // the client went away
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        TunnelChannel channel = (TunnelChannel) session.getAttributes().remove(CHANNEL);
        if (channel != null) {
            channel.close();
        }
    }
}
