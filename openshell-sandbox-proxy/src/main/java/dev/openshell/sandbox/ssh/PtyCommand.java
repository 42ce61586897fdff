package dev.openshell.sandbox.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code shell} or {@code exec} request after a {@code pty-req}: the confined program runs as the
 * leader of a new session whose controlling terminal is a real pseudo-terminal ({@link Pty}),
 * sized from the request and resized on {@code window-change}.
 *
 * <p>Process chain: {@code /bin/sh} (root, host side) opens the terminal device on fds 0-2 — as a
 * non-leader it cannot acquire it as controlling terminal — and execs the launcher, which confines
 * itself and execs {@code setsid -w -c PROGRAM} inside the sandbox; {@code setsid -c} makes the
 * terminal the new session's controlling terminal, so job control and Ctrl-C work.
 */
final class PtyCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(PtyCommand.class);
    private static final int BUFFER = 16 * 1024;
    private static final int POLL_MILLIS = 100;
    /** How long output may still drain after the program exited (background jobs keep the tty open). */
    private static final long DRAIN_MILLIS = 500;

    private static final String OPEN_TERMINAL = "exec <>\"$1\" >&0 2>&0 || exit 125; shift; exec \"$@\"";

    private final ConfinedProcesses processes;
    private final List<String> program;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final AtomicBoolean outputStopped = new AtomicBoolean();
    /** The output and input pumps; the last one to finish closes the master. */
    private final AtomicInteger pumps = new AtomicInteger(2);

    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;
    private volatile Process process;
    private Pty pty;

    PtyCommand(ConfinedProcesses processes, List<String> program) {
        this.processes = processes;
        this.program = program;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        // A terminal has one output stream; the program's stderr goes to the terminal too.
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        Map<String, String> variables = env.getEnv();
        pty = Pty.open(
                number(variables.get(Environment.ENV_LINES), 24), number(variables.get(Environment.ENV_COLUMNS), 80));
        List<String> inSession = new ArrayList<>(List.of("setsid", "-w", "-c"));
        inSession.addAll(program);
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", OPEN_TERMINAL, "sh", pty.terminal()));
        command.addAll(processes.confined(inSession));
        Process started;
        try {
            started = processes
                    .builder(command, variables)
                    .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(Redirect.DISCARD)
                    .redirectError(Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            pty.close();
            throw e;
        }
        process = started;
        env.addSignalListener((ignored, signal) -> resize(variables), Signal.WINCH);
        // A signal for a terminal session is meant for its foreground job (what Ctrl-C reaches), not
        // for the shell that leads the session and waits for that job.
        env.addSignalListener(
                (ignored, signal) -> signalForeground(signal.getNumeric()),
                Signal.SIGNALS.stream().filter(s -> s != Signal.WINCH).toList());
        Thread output = PipedCommand.daemon("ssh-pty-out", this::copyOutput);
        PipedCommand.daemon("ssh-pty-in", this::copyInput);
        PipedCommand.daemon("ssh-pty-exit", () -> {
            int code = waitFor(started);
            try {
                output.join(DRAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            outputStopped.set(true);
            try {
                output.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exit.onExit(code);
        });
    }

    private void signalForeground(int signal) {
        try {
            pty.signalForeground(signal);
        } catch (IOException e) {
            LOG.debug("signal {} to the terminal's foreground group failed: {}", signal, e.toString());
        }
    }

    private void resize(Map<String, String> variables) {
        try {
            pty.resize(
                    number(variables.get(Environment.ENV_LINES), 0), number(variables.get(Environment.ENV_COLUMNS), 0));
        } catch (IOException e) {
            LOG.debug("window change failed: {}", e.toString());
        }
    }

    private void copyOutput() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER);
            byte[] bytes = new byte[BUFFER];
            while (!outputStopped.get()) {
                int n = pty.read(buffer, POLL_MILLIS, arena);
                if (n < 0) {
                    break;
                }
                if (n > 0) {
                    MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, 0, n);
                    out.write(bytes, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            LOG.trace("terminal output copy ended: {}", e.toString());
        } finally {
            pumpDone();
        }
    }

    private void copyInput() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER);
            byte[] bytes = new byte[BUFFER];
            int n;
            while ((n = in.read(bytes)) >= 0) {
                if (outputStopped.get()) {
                    break;
                }
                MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
                pty.write(buffer, n, arena);
            }
        } catch (IOException e) {
            LOG.trace("terminal input copy ended: {}", e.toString());
        } finally {
            pumpDone();
        }
    }

    private void pumpDone() {
        if (pumps.decrementAndGet() == 0) {
            pty.close();
        }
    }

    private static int waitFor(Process started) {
        while (true) {
            try {
                return started.waitFor();
            } catch (InterruptedException e) {
                // Only destroy() ends this command; keep waiting for the process it kills.
            }
        }
    }

    private static int number(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process started = process;
        if (started != null && destroyed.compareAndSet(false, true)) {
            if (started.isAlive()) {
                started.descendants().forEach(ProcessHandle::destroyForcibly);
                started.destroyForcibly();
            }
            outputStopped.set(true);
            try {
                in.close();
            } catch (IOException e) {
                LOG.trace("closing channel input: {}", e.toString());
            }
        }
    }
}
