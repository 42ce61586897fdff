package dev.openshell.sandbox.ssh;

import dev.openshell.sandbox.linux.ProcessSignals;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code exec} or {@code shell} request without a terminal: the confined process's stdin,
 * stdout and stderr are pipes to the channel's data, extended data and EOF; its exit code becomes
 * the channel's {@code exit-status}; {@code signal} requests reach the process.
 */
final class PipedCommand implements Command {

    private static final Logger LOG = LoggerFactory.getLogger(PipedCommand.class);
    /** A pipe's default capacity: one read takes all a writer got ahead by. */
    private static final int BUFFER = 64 * 1024;

    private final ConfinedProcesses processes;
    private final List<String> program;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    PipedCommand(ConfinedProcesses processes, List<String> program) {
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
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        Process started =
                processes.builder(processes.confined(program), env.getEnv()).start();
        process = started;
        env.addSignalListener(
                (ignored, signal) -> ProcessSignals.toChild(started, signal.getNumeric()), Signal.SIGNALS);
        Thread stdin = daemon("ssh-stdin", () -> copyStdin(started));
        Thread stdout = daemon("ssh-stdout", () -> copyOutput(started.getInputStream(), out));
        Thread stderr = daemon("ssh-stderr", () -> copyOutput(started.getErrorStream(), err));
        daemon("ssh-exit", () -> {
            int code = waitFor(started);
            join(stdout);
            join(stderr);
            stdin.interrupt();
            exit.onExit(code);
        });
    }

    private void copyStdin(Process started) {
        try (OutputStream target = started.getOutputStream()) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                target.write(buffer, 0, n);
                target.flush();
            }
        } catch (IOException e) {
            // The process closed its stdin or exited, or the channel went away: nothing to deliver.
            LOG.trace("stdin copy ended: {}", e.toString());
        }
    }

    /**
     * Copies until EOF, flushing only when the pipe has nothing more right now: the channel stream
     * sends a packet each time it fills one, so a program writing small chunks (stdio writes 4 KiB
     * at a time to a pipe) costs one SSH packet per full packet instead of one per write, while
     * output that pauses (a prompt, a progress line) still leaves at once.
     */
    static void copyOutput(InputStream source, OutputStream target) {
        try (source) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = source.read(buffer)) >= 0) {
                target.write(buffer, 0, n);
                if (source.available() == 0) {
                    target.flush();
                }
            }
        } catch (IOException e) {
            // The channel closed under us: the client is gone and nobody reads the rest.
            LOG.trace("output copy ended: {}", e.toString());
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

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Thread daemon(String name, Runnable task) {
        return Thread.ofPlatform().daemon().name(name).start(task);
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process started = process;
        if (started != null && destroyed.compareAndSet(false, true) && started.isAlive()) {
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
        }
    }
}
