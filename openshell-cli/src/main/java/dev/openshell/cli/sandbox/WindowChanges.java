package dev.openshell.cli.sandbox;

import dev.openshell.cli.support.TerminalSize;
import java.util.function.Consumer;

/**
 * Passes the terminal's new size on whenever it changes: on {@code SIGWINCH} where the JVM lets
 * us handle it, else by asking the kernel (an {@code ioctl}, no process) every half second.
 */
final class WindowChanges implements AutoCloseable {

    private final int fd;
    private final Consumer<TerminalSize.Window> onChange;
    private final Thread poller;
    private volatile TerminalSize.Window last;
    private volatile boolean closed;

    private WindowChanges(int fd, TerminalSize.Window initial, Consumer<TerminalSize.Window> onChange) {
        this.fd = fd;
        this.last = initial;
        this.onChange = onChange;
        this.poller = Thread.ofVirtual().name("window-size").unstarted(this::poll);
    }

    static WindowChanges watch(int fd, TerminalSize.Window initial, Consumer<TerminalSize.Window> onChange) {
        WindowChanges w = new WindowChanges(fd, initial, onChange);
        boolean signal;
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> w.check());
            signal = true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            signal = false;
        }
        if (!signal) {
            w.poller.start();
        }
        return w;
    }

    private void poll() {
        while (!closed) {
            check();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check() {
        TerminalSize.Window now = TerminalSize.of(fd);
        if (!closed && now != null && !now.equals(last)) {
            last = now;
            onChange.accept(now);
        }
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
    }
}
