package dev.openshell.sandbox.ssh;

import dev.openshell.sandbox.linux.Libc;
import dev.openshell.sandbox.linux.ProcessSignals;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pseudo-terminal allocated by the supervisor (root): the master stays here, the terminal device
 * ({@code /dev/pts/N}, owned by root with mode 0620) is opened by the session's process before the
 * launcher drops privileges and is inherited from then on.
 *
 * <p>Allocating it here rather than inside the sandbox (e.g. with {@code script}) keeps the device
 * out of reach of other sandboxes, which run as the same {@code sandbox} user and could otherwise
 * open it through {@code /dev/pts}; and it lets window-change requests resize it.
 */
final class Pty implements AutoCloseable {

    private final int master;
    private final String terminal;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Pty(int master, String terminal) {
        this.master = master;
        this.terminal = terminal;
    }

    static Pty open(int rows, int columns) throws IOException {
        int master = Libc.openPtyMaster();
        try {
            Pty pty = new Pty(master, Libc.ptsName(master));
            pty.resize(rows, columns);
            return pty;
        } catch (IOException | RuntimeException e) {
            Libc.close(master);
            throw e;
        }
    }

    /** The terminal device path, e.g. {@code /dev/pts/3}. */
    String terminal() {
        return terminal;
    }

    void resize(int rows, int columns) throws IOException {
        if (rows > 0 && columns > 0) {
            Libc.setWindowSize(master, rows, columns);
        }
    }

    /**
     * Reads what the terminal's programs wrote, waiting at most {@code timeoutMillis}: the count,
     * 0 when nothing arrived in time, or -1 once every program has closed the terminal.
     */
    int read(MemorySegment buffer, int timeoutMillis, Arena arena) throws IOException {
        if (!Libc.pollReadable(master, timeoutMillis, arena)) {
            return 0;
        }
        try {
            int n = Libc.read(master, buffer, arena);
            return n == 0 ? -1 : n;
        } catch (Libc.ErrnoException e) {
            // Linux reports EIO on the master once the last slave descriptor is closed.
            if (e.errno() == Libc.EIO) {
                return -1;
            }
            throw e;
        }
    }

    /** Sends keyboard input to the terminal. */
    void write(MemorySegment buffer, long length, Arena arena) throws IOException {
        Libc.writeFully(master, buffer, length, arena);
    }

    /**
     * Sends {@code signal} to the terminal's foreground process group (as Ctrl-C does for SIGINT,
     * whatever the terminal's mode); returns how many processes got it. Under the same lock as
     * {@link #close}: a closed master's descriptor number could name another terminal by now.
     */
    synchronized int signalForeground(int signal) throws IOException {
        if (closed.get()) {
            return 0;
        }
        long[] groupAndSession = Libc.terminalGroupAndSession(master);
        return ProcessSignals.toGroupInSession(groupAndSession[0], groupAndSession[1], signal);
    }

    /** Closes the master; programs still holding the terminal get a hangup. */
    @Override
    public synchronized void close() {
        if (closed.compareAndSet(false, true)) {
            Libc.close(master);
        }
    }
}
