package dev.openshell.cli.sandbox;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.cli.support.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * One command run over the gateway's streaming exec ({@code /exec/stream}): standard input sent as
 * it is read, output written as it arrives (standard output and standard error apart, or one
 * terminal stream), window sizes passed on, and the command's exit status returned. Closing the
 * WebSocket (this JVM ending, Ctrl-C) makes the gateway kill the command.
 */
final class StreamingExec implements WebSocket.Listener {

    /** What to run and how. */
    record Request(List<String> command, TerminalSize.Window tty, Duration timeout) {}

    private static final String EXEC_ID = "cli";

    private final TextSink out;
    private final TextSink err;
    private final CompletableFuture<SessionMessage.ExecExit> exit = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Object sending = new Object();
    private volatile WebSocket socket;

    StreamingExec(TextSink out, TextSink err) {
        this.out = out;
        this.err = err;
    }

    /** Opens the stream and starts the command; then feed it with {@link #pump} and {@link #resize}. */
    void start(GatewayClient gateway, String sandbox, Request request) {
        socket = gateway.sandboxes().execStream(sandbox, this);
        Integer columns = request.tty() == null ? null : request.tty().columns();
        Integer rows = request.tty() == null ? null : request.tty().rows();
        send(new SessionMessage.ExecStart(
                EXEC_ID, request.command(), request.tty() != null, columns, rows, request.timeout()));
    }

    /** Copies {@code in} to the command's standard input until its end (null: no input), then closes it. */
    void pump(InputStream in) {
        if (in == null) {
            send(SessionMessage.ExecInput.of(EXEC_ID, new byte[0], true));
            return;
        }
        Thread.ofVirtual().name("exec-stdin").start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while (!exit.isDone() && (n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        send(SessionMessage.ExecInput.of(EXEC_ID, java.util.Arrays.copyOf(buffer, n), false));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // standard input failed or the stream ended: the command gets EOF
            }
            if (!exit.isDone()) {
                send(SessionMessage.ExecInput.of(EXEC_ID, new byte[0], true));
            }
        });
    }

    void resize(TerminalSize.Window window) {
        if (!exit.isDone()) {
            send(new SessionMessage.ExecResize(EXEC_ID, window.columns(), window.rows()));
        }
    }

    /** Asks the gateway to kill the command (best effort: the socket closing does it too). */
    void kill() {
        if (socket != null && !exit.isDone()) {
            send(new SessionMessage.ExecKill(EXEC_ID));
        }
    }

    /** Waits for the command's end and returns how it ended. */
    SessionMessage.ExecExit await() {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ApiException a
                    ? a
                    : new ApiException(ErrorCode.UNAVAILABLE, "the exec stream failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted while the command ran");
        } finally {
            out.finish();
            err.finish();
            WebSocket ws = socket;
            if (ws != null && !ws.isOutputClosed()) {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(t -> null);
            }
        }
    }

    private void send(SessionMessage message) {
        String text = ApiJson.strict().writeValueAsString(message);
        // java.net.http allows one outstanding send at a time; senders are stdin, resizes and kill.
        synchronized (sending) {
            try {
                socket.sendText(text, true).get();
            } catch (ExecutionException | RuntimeException e) {
                // the socket is closing; onClose/onError tells how the command ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            handle(ApiJson.lenient().readValue(frame, SessionMessage.class));
        }
        ws.request(1);
        return null;
    }

    private void handle(SessionMessage message) {
        switch (message) {
            case SessionMessage.ExecOutput o -> {
                byte[] bytes =
                        o.data() == null ? new byte[0] : Base64.getDecoder().decode(o.data());
                (o.stream() == LogLine.Stream.STDERR ? err : out).write(bytes);
            }
            case SessionMessage.ExecExit x -> exit.complete(x);
            default -> {}
        }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        ws.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        if (!exit.isDone()) {
            String why = reason == null || reason.isBlank() ? "status " + statusCode : SafeText.oneLine(reason, 300);
            ErrorCode code = statusCode == 1012 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
            exit.completeExceptionally(
                    new ApiException(code, "the gateway ended the command's stream before it exited: " + why));
        }
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        exit.completeExceptionally(
                new ApiException(ErrorCode.UNAVAILABLE, "the connection to the gateway broke: " + error.getMessage()));
    }
}
