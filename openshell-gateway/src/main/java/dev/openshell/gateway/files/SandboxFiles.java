package dev.openshell.gateway.files;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.gateway.sandbox.SandboxRecord;
import dev.openshell.gateway.sandbox.SandboxService;
import dev.openshell.gateway.session.ExecChannel;
import dev.openshell.gateway.session.SupervisorSessions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Service;

/**
 * Upload and download of tar streams. Both run {@code tar} in the sandbox through its supervisor
 * session, confined exactly like the agent (its uid, mount namespace and Landlock rules), so a tar
 * entry with {@code ../} or an absolute name reaches nothing the agent could not write itself, and
 * a download reads nothing the agent could not read. Bytes stream both ways with backpressure: a
 * slow client slows the sandbox's {@code tar}, nothing is buffered whole.
 */
@Service
class SandboxFiles {

    static final int MAX_PATH = 4096;
    private static final Duration TRANSFER_TIMEOUT = Duration.ofHours(1);
    private static final int MAX_ERROR = 4096;
    private static final long DRAIN_AFTER_FAILURE = 64L << 20;
    /** Chunks a download may have in flight before the supervisor's session waits for the client. */
    private static final int WINDOW = 64;

    private final SandboxService sandboxes;
    private final SupervisorSessions sessions;

    SandboxFiles(SandboxService sandboxes, SupervisorSessions sessions) {
        this.sandboxes = sandboxes;
        this.sessions = sessions;
    }

    /** Extracts the tar stream {@code body} into directory {@code path} (made if missing). */
    void upload(String name, String path, InputStream body) throws IOException {
        String dir = checkPath(path);
        SandboxRecord s = ready(name);
        Outcome outcome = new Outcome(false);
        try (ExecChannel channel = sessions.openExec(
                s.id(),
                List.of("sh", "-c", "mkdir -p -- \"$1\" && exec tar -x -f - -C \"$1\"", "sh", dir),
                false,
                0,
                0,
                TRANSFER_TIMEOUT,
                outcome)) {
            byte[] buffer = new byte[SessionMessage.MAX_CHUNK];
            int n;
            while ((n = body.readNBytes(buffer, 0, buffer.length)) > 0) {
                channel.input(java.util.Arrays.copyOf(buffer, n), false);
                if (outcome.exit.isDone()) {
                    // tar gave up (its error says why): read the rest unsent, so the client gets the answer
                    body.skipNBytes(Math.min(DRAIN_AFTER_FAILURE, Math.max(0, body.available())));
                    while (body.read(buffer) > 0) {
                        // discarded; bounded by the upload limit
                    }
                    break;
                }
            }
            channel.input(new byte[0], true);
            SessionMessage.ExecExit exit = outcome.await();
            if (exit.exitCode() != 0) {
                throw failed("upload to " + dir, outcome, exit);
            }
        }
    }

    /**
     * Starts a download of {@code path} as a tar stream (one entry named by its last segment, like
     * {@code tar -C parent -c name}); fails before any byte is sent when tar cannot read it.
     */
    Download download(String name, String path) {
        String target = checkPath(path);
        if (target.equals("/")) {
            throw ApiException.invalid("path", "name a file or directory below /");
        }
        String trimmed = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        int slash = trimmed.lastIndexOf('/');
        String parent = slash == 0 ? "/" : trimmed.substring(0, slash);
        String base = trimmed.substring(slash + 1);
        SandboxRecord s = ready(name);
        Outcome outcome = new Outcome(true);
        ExecChannel channel = sessions.openExec(
                s.id(),
                // tar writes an (empty) archive before it reports a missing path: check first, so that is a 422.
                List.of(
                        "sh",
                        "-c",
                        "cd -- \"$1\" && test -e \"$2\" && test -r \"$2\" || { echo \"$1/$2: no such file, or not"
                                + " readable\" >&2; exit 2; }; exec tar -c -f - -- \"$2\"",
                        "sh",
                        parent,
                        base),
                false,
                0,
                0,
                TRANSFER_TIMEOUT,
                outcome);
        channel.input(new byte[0], true);
        // Wait for the first bytes or the end: an unreadable path is a problem, not an empty 200.
        try {
            Object first = outcome.chunks.poll(60, TimeUnit.SECONDS);
            if (first == null) {
                channel.kill();
                channel.close();
                throw new ApiException(ErrorCode.TIMEOUT, "the sandbox did not start sending " + target);
            }
            if (first instanceof SessionMessage.ExecExit exit && exit.exitCode() != 0) {
                channel.close();
                throw failed("download of " + target, outcome, exit);
            }
            return new Download(base + ".tar", channel, outcome, first);
        } catch (InterruptedException e) {
            channel.kill();
            channel.close();
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }

    /** A download under way: {@link #writeTo} streams it. */
    static final class Download {
        final String fileName;
        private final ExecChannel channel;
        private final Outcome outcome;
        private final Object first;

        Download(String fileName, ExecChannel channel, Outcome outcome, Object first) {
            this.fileName = fileName;
            this.channel = channel;
            this.outcome = outcome;
            this.first = first;
        }

        void writeTo(OutputStream out) throws IOException {
            try (channel) {
                Object next = first;
                while (true) {
                    if (next instanceof byte[] bytes) {
                        out.write(bytes);
                    } else if (next instanceof SessionMessage.ExecExit exit) {
                        if (exit.exitCode() != 0) {
                            // Headers are out already: cut the stream short so the client sees a broken tar.
                            throw new IOException("tar ended with status " + exit.exitCode() + ": "
                                    + SafeText.oneLine(outcome.stderr(), MAX_ERROR));
                        }
                        out.flush();
                        return;
                    }
                    next = outcome.chunks.poll(5, TimeUnit.MINUTES);
                    if (next == null) {
                        channel.kill();
                        throw new IOException("the sandbox stopped sending");
                    }
                }
            } catch (InterruptedException e) {
                channel.kill();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            } catch (IOException e) {
                channel.kill();
                throw e;
            }
        }
    }

    private SandboxRecord ready(String name) {
        SandboxRecord s = sandboxes.require(name);
        if (s.phase() != SandboxPhase.READY) {
            throw new ApiException(
                    ErrorCode.SANDBOX_NOT_READY,
                    "sandbox " + name + " is " + s.phase().wire() + ", not Ready");
        }
        return s;
    }

    static String checkPath(String path) {
        if (path == null || path.isEmpty()) {
            throw ApiException.invalid("path", "give the path inside the sandbox");
        }
        if (!path.startsWith("/")) {
            throw ApiException.invalid("path", SafeText.quote(path) + " is not absolute");
        }
        if (path.length() > MAX_PATH || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.invalid("path", "at most " + MAX_PATH + " characters, no control characters");
        }
        return path;
    }

    private static ApiException failed(String what, Outcome outcome, SessionMessage.ExecExit exit) {
        String stderr = outcome.stderr().strip();
        String why = exit.error() != null
                ? exit.error()
                : stderr.isEmpty() ? "tar exited with status " + exit.exitCode() : stderr;
        return new ApiException(ErrorCode.TRANSFER_FAILED, what + " failed: " + SafeText.oneLine(why, MAX_ERROR));
    }

    /** What the sandbox's tar sends back: stdout chunks (downloads), stderr (kept for the error), the exit. */
    static final class Outcome implements java.util.function.Consumer<SessionMessage> {
        final BlockingQueue<Object> chunks = new ArrayBlockingQueue<>(WINDOW + 1);
        final CompletableFuture<SessionMessage.ExecExit> exit = new CompletableFuture<>();
        private final boolean keepStdout;
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        Outcome(boolean keepStdout) {
            this.keepStdout = keepStdout;
        }

        @Override
        public void accept(SessionMessage message) {
            try {
                switch (message) {
                    case SessionMessage.ExecOutput out
                    when out.stream() == LogLine.Stream.STDERR -> {
                        synchronized (stderr) {
                            if (stderr.size() < MAX_ERROR) {
                                stderr.writeBytes(decode(out.data()));
                            }
                        }
                    }
                    case SessionMessage.ExecOutput out -> {
                        if (keepStdout) {
                            // Blocks this sandbox's session while the client is slow: backpressure to tar.
                            chunks.offer(decode(out.data()), 5, TimeUnit.MINUTES);
                        }
                    }
                    case SessionMessage.ExecExit done -> {
                        exit.complete(done);
                        if (keepStdout) {
                            chunks.offer(done, 5, TimeUnit.MINUTES);
                        }
                    }
                    default -> {}
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String stderr() {
            synchronized (stderr) {
                return stderr.toString(StandardCharsets.UTF_8);
            }
        }

        SessionMessage.ExecExit await() {
            try {
                return exit.get(TRANSFER_TIMEOUT.toMinutes() + 1, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new ApiException(ErrorCode.TIMEOUT, "the transfer did not finish");
            }
        }

        private static byte[] decode(String data) {
            return data == null ? new byte[0] : Base64.getDecoder().decode(data);
        }
    }
}
