package dev.openshell.gateway.session;

import dev.openshell.api.session.SessionMessage;

/** A byte stream to a sandbox's SSH server over its supervisor session. */
public final class TunnelChannel implements AutoCloseable {

    private final String id;
    private final SupervisorConnection connection;
    private final Runnable forget;

    TunnelChannel(String id, SupervisorConnection connection, Runnable forget) {
        this.id = id;
        this.connection = connection;
        this.forget = forget;
    }

    public void write(byte[] data, int length) {
        connection.send(SessionMessage.TunnelData.of(id, data, length));
    }

    @Override
    public void close() {
        connection.send(new SessionMessage.TunnelClose(id, null));
        forget.run();
    }
}
