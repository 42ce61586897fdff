package dev.openshell.gateway.session;

import dev.openshell.gateway.sandbox.SandboxService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.ServletContextAware;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/** The WebSocket endpoints: supervisor sessions, streaming exec, SSH tunnels. */
@Configuration
@EnableWebSocket
class SessionWebSocketConfig implements WebSocketConfigurer {

    static final String SESSION_SUFFIX = "/supervisor/session";
    static final String EXEC_SUFFIX = "/exec/stream";
    static final String SSH_SUFFIX = "/ssh";
    /** The largest frame: a batch of logs or decisions, a policy, a 64 KiB chunk in base64. */
    static final int MAX_MESSAGE = 16 << 20;

    private final SupervisorSessions sessions;
    private final ObjectProvider<SandboxService> sandboxes;

    SessionWebSocketConfig(SupervisorSessions sessions, ObjectProvider<SandboxService> sandboxes) {
        this.sessions = sessions;
        this.sandboxes = sandboxes;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new SupervisorSessionHandler(sessions), "/api/v1/sandboxes/*" + SESSION_SUFFIX)
                .addInterceptors(new SessionHandshake(SessionHandshake.Purpose.SUPERVISOR, SESSION_SUFFIX, sandboxes));
        registry.addHandler(new ExecStreamHandler(sessions), "/api/v1/sandboxes/*" + EXEC_SUFFIX)
                .addInterceptors(new SessionHandshake(SessionHandshake.Purpose.CLIENT, EXEC_SUFFIX, sandboxes));
        registry.addHandler(new SshTunnelHandler(sessions), "/api/v1/sandboxes/*" + SSH_SUFFIX)
                .addInterceptors(new SessionHandshake(SessionHandshake.Purpose.CLIENT, SSH_SUFFIX, sandboxes));
    }

    /**
     * Raises the container's frame limits (8 KiB by default); skipped where there is no WebSocket
     * container, such as the mock servlet context of controller tests.
     */
    @Bean
    ServletContextAware webSocketLimits() {
        return context -> {
            if (context.getAttribute("jakarta.websocket.server.ServerContainer")
                    instanceof jakarta.websocket.server.ServerContainer container) {
                container.setDefaultMaxTextMessageBufferSize(MAX_MESSAGE);
                container.setDefaultMaxBinaryMessageBufferSize(MAX_MESSAGE);
            }
        };
    }
}
