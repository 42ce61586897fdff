package dev.openshell.sandbox.session;

import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.session.ExecSignalName;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.sandbox.linux.ProcessSignals;
import dev.openshell.sandbox.ssh.ConfinedProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One command a gateway session started ({@link SessionMessage.ExecStart}), confined like the agent:
 * through the launcher, in the agent's namespaces, as its uid. Its output goes back as {@link
 * SessionMessage.ExecOutput} frames (at most {@link SessionMessage#MAX_CHUNK} bytes each), its end as
 * one {@link SessionMessage.ExecExit}. A timeout or {@link #kill()} ends it and everything it
 * started.
 */
final class SessionExec implements RunningCommand {

    private final String execId;
    private final Process process;
    private final Consumer<SessionMessage> out;
    private final AtomicBoolean killed = new AtomicBoolean();
    private final AtomicBoolean timedOut = new AtomicBoolean();
    private volatile boolean finished;
    private final OutputStream stdin;

    private SessionExec(String execId, Process process, Consumer<SessionMessage> out) {
        this.execId = execId;
        this.process = process;
        this.out = out;
        this.stdin = process.getOutputStream();
    }

    /**
     * Starts the command; a command that cannot be started is answered at once with an {@link
     * SessionMessage.ExecExit} carrying the error, and null is returned.
     */
    static SessionExec start(
            SessionMessage.ExecStart request,
            ConfinedProcesses processes,
            Consumer<SessionMessage> out,
            Runnable done) {
        Process process;
        try {
            process = processes
                    .builder(processes.confined(request.command()), Map.of())
                    .start();
        } catch (IOException e) {
            out.accept(new SessionMessage.ExecExit(request.execId(), 127, false, "cannot start: " + e.getMessage()));
            done.run();
            return null;
        }
        SessionExec exec = new SessionExec(request.execId(), process, out);
        Thread stdout = Thread.ofVirtual().start(() -> exec.pump(process.getInputStream(), LogLine.Stream.STDOUT));
        Thread stderr = Thread.ofVirtual().start(() -> exec.pump(process.getErrorStream(), LogLine.Stream.STDERR));
        Thread.ofVirtual().start(() -> {
            boolean finished = exec.await(request.timeout());
            if (!finished) {
                exec.timedOut.set(true);
                exec.kill();
            }
            int code = exec.waitUninterruptibly();
            join(stdout);
            join(stderr);
            out.accept(new SessionMessage.ExecExit(
                    request.execId(), exec.timedOut.get() ? 124 : code, exec.timedOut.get(), null));
            exec.finished = true;
            done.run();
        });
        return exec;
    }

    /** Feeds stdin; {@code eof} closes it. Input after the command closed its stdin is dropped. */
    @Override
    public void input(byte[] data, boolean eof) {
        try {
            if (data.length > 0) {
                stdin.write(data);
                stdin.flush();
            }
            if (eof) {
                stdin.close();
            }
        } catch (IOException e) {
            // the command closed its stdin or exited: like a closed pipe
        }
    }

    @Override
    public boolean finished() {
        return finished;
    }

    /**
     * The process started is the launcher's relay, which passes a signal a process sends it on to
     * the command; SIGKILL cannot be passed on, so it ends the command and its descendants.
     */
    @Override
    public void signal(ExecSignalName signal) {
        if (signal == ExecSignalName.KILL) {
            kill();
        } else {
            ProcessSignals.toChild(process, signal.number());
        }
    }

    /** Kills the command and its descendants. */
    @Override
    public void kill() {
        if (killed.compareAndSet(false, true)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private boolean await(java.time.Duration timeout) {
        try {
            if (timeout == null) {
                process.waitFor();
                return true;
            }
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private int waitUninterruptibly() {
        while (true) {
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                // keep waiting: only kill() ends it
            }
        }
    }

    private void pump(InputStream in, LogLine.Stream stream) {
        byte[] buffer = new byte[SessionMessage.MAX_CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0) {
                    out.accept(SessionMessage.ExecOutput.of(execId, stream, buffer, n));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
