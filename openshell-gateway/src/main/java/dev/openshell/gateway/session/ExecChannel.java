package dev.openshell.gateway.session;

import dev.openshell.api.session.ExecSignalName;
import dev.openshell.api.session.SessionMessage;

/** A command started over a supervisor session: feed it, resize it, signal it, kill it. Closing forgets it. */
public final class ExecChannel implements AutoCloseable {

    private final String id;
    private final SupervisorConnection connection;
    private final Runnable forget;

    ExecChannel(String id, SupervisorConnection connection, Runnable forget) {
        this.id = id;
        this.connection = connection;
        this.forget = forget;
    }

    public void input(byte[] data, boolean eof) {
        int offset = 0;
        do {
            int n = Math.min(SessionMessage.MAX_CHUNK, data.length - offset);
            byte[] chunk = java.util.Arrays.copyOfRange(data, offset, offset + n);
            offset += n;
            connection.send(SessionMessage.ExecInput.of(id, chunk, eof && offset >= data.length));
        } while (offset < data.length);
    }

    public void resize(int columns, int rows) {
        connection.send(new SessionMessage.ExecResize(id, columns, rows));
    }

    /** Delivers {@code signal}: to the command, or with a terminal to its foreground process group. */
    public void signal(ExecSignalName signal) {
        connection.send(new SessionMessage.ExecSignal(id, signal.name()));
    }

    public void kill() {
        connection.send(new SessionMessage.ExecKill(id));
    }

    @Override
    public void close() {
        forget.run();
    }
}
