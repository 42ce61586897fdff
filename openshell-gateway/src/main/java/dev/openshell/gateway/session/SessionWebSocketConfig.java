package dev.openshell.gateway.session;

import dev.openshell.gateway.sandbox.SandboxService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

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

    @Bean
    ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(MAX_MESSAGE);
        container.setMaxBinaryMessageBufferSize(MAX_MESSAGE);
        return container;
    }
}
