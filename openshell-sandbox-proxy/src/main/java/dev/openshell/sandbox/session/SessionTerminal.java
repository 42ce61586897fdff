package dev.openshell.sandbox.session;

import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.session.ExecSignalName;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.sandbox.ssh.ConfinedProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.SignalListener;
import org.apache.sshd.server.command.Command;

/**
 * A command a gateway session started with a terminal ({@link SessionMessage.ExecStart#tty()}): the
 * very command an SSH session with a {@code pty-req} runs (a real pseudo-terminal, the program the
 * leader of a new session with it as controlling terminal, confined like the agent), driven from
 * session frames instead of an SSH channel. Output (the terminal's one stream) goes back as stdout;
 * {@link SessionMessage.ExecResize} resizes the terminal (the program gets SIGWINCH); {@link
 * SessionMessage.ExecSignal} reaches the terminal's foreground process group.
 */
final class SessionTerminal implements RunningCommand {

    private final Command command;
    private final Input stdin = new Input();
    private final TerminalEnvironment environment;
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private volatile boolean finished;

    private SessionTerminal(Command command, TerminalEnvironment environment) {
        this.command = command;
        this.environment = environment;
    }

    static SessionTerminal start(
            SessionMessage.ExecStart request,
            ConfinedProcesses processes,
            Consumer<SessionMessage> out,
            Runnable done) {
        TerminalEnvironment environment = new TerminalEnvironment(
                request.columns() == null ? 80 : request.columns(), request.rows() == null ? 24 : request.rows());
        SessionTerminal terminal = new SessionTerminal(processes.terminal(request.command()), environment);
        terminal.command.setInputStream(terminal.stdin);
        terminal.command.setOutputStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                for (int i = off; i < off + len; i += SessionMessage.MAX_CHUNK) {
                    int n = Math.min(SessionMessage.MAX_CHUNK, off + len - i);
                    out.accept(SessionMessage.ExecOutput.of(
                            request.execId(), LogLine.Stream.STDOUT, java.util.Arrays.copyOfRange(b, i, i + n), n));
                }
            }
        });
        terminal.command.setErrorStream(OutputStream.nullOutputStream());
        terminal.command.setExitCallback((code, message, closeImmediately) -> {
            boolean late = terminal.timedOut.get();
            out.accept(new SessionMessage.ExecExit(request.execId(), late ? 124 : code, late, null));
            terminal.finished = true;
            done.run();
        });
        try {
            terminal.command.start(null, environment);
        } catch (IOException e) {
            out.accept(new SessionMessage.ExecExit(request.execId(), 127, false, "cannot start: " + e.getMessage()));
            terminal.finished = true;
            done.run();
            return null;
        }
        if (request.timeout() != null) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(request.timeout());
                } catch (InterruptedException e) {
                    return;
                }
                if (!terminal.finished) {
                    terminal.timedOut.set(true);
                    terminal.kill();
                }
            });
        }
        return terminal;
    }

    @Override
    public void input(byte[] data, boolean eof) {
        stdin.add(data, eof);
    }

    @Override
    public void resize(int columns, int rows) {
        environment.resize(columns, rows);
    }

    @Override
    public void signal(ExecSignalName signal) {
        environment.signal(Signal.get(signal.name()));
    }

    @Override
    public void kill() {
        try {
            command.destroy(null);
        } catch (Exception e) {
            // the command is gone already
        }
        stdin.add(new byte[0], true);
    }

    @Override
    public boolean finished() {
        return finished;
    }

    /** Stdin as frames deliver it; end of stream after an {@code eof}. */
    private static final class Input extends InputStream {
        private static final byte[] END = new byte[0];
        private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        void add(byte[] data, boolean eof) {
            if (data.length > 0) {
                chunks.add(data);
            }
            if (eof) {
                chunks.add(END);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (!ended && position >= current.length) {
                try {
                    byte[] next = chunks.take();
                    if (next == END) {
                        ended = true;
                    } else {
                        current = next;
                        position = 0;
                    }
                } catch (InterruptedException e) {
                    throw new IOException("interrupted");
                }
            }
            if (position >= current.length) {
                return -1;
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** What the terminal command reads of its "SSH" environment: its size, and who hears a resize. */
    private static final class TerminalEnvironment implements Environment {
        private final Map<String, String> env = new ConcurrentHashMap<>();
        private final List<SignalListener> winch = new CopyOnWriteArrayList<>();
        private final Map<Signal, List<SignalListener>> others = new ConcurrentHashMap<>();

        TerminalEnvironment(int columns, int rows) {
            env.put(ENV_COLUMNS, Integer.toString(columns));
            env.put(ENV_LINES, Integer.toString(rows));
            env.put(ENV_TERM, "xterm-256color");
        }

        void resize(int columns, int rows) {
            if (columns > 0 && rows > 0 && columns <= 10_000 && rows <= 10_000) {
                env.put(ENV_COLUMNS, Integer.toString(columns));
                env.put(ENV_LINES, Integer.toString(rows));
                winch.forEach(l -> l.signal(null, Signal.WINCH));
            }
        }

        @Override
        public Map<String, String> getEnv() {
            return env;
        }

        @Override
        public Map<PtyMode, Integer> getPtyModes() {
            return Map.of();
        }

        /** An {@link SessionMessage.ExecSignal}: the terminal command sends it to its foreground group. */
        void signal(Signal signal) {
            if (signal != null) {
                others.getOrDefault(signal, List.of()).forEach(l -> l.signal(null, signal));
            }
        }

        @Override
        public void addSignalListener(SignalListener listener, Collection<Signal> signals) {
            for (Signal signal : signals) {
                if (signal == Signal.WINCH) {
                    winch.add(listener);
                } else {
                    others.computeIfAbsent(signal, s -> new CopyOnWriteArrayList<>())
                            .add(listener);
                }
            }
        }

        @Override
        public void removeSignalListener(SignalListener listener) {
            winch.remove(listener);
            others.values().forEach(listeners -> listeners.remove(listener));
        }
    }
}
