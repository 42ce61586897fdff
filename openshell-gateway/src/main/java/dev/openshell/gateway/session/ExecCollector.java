package dev.openshell.gateway.session;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.gateway.compute.DriverException;
import dev.openshell.gateway.compute.ExecOutcome;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Collects a non-streaming exec's output up to a cap per stream, until its exit frame. */
final class ExecCollector implements Consumer<SessionMessage> {

    private final int cap;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final CompletableFuture<SessionMessage.ExecExit> exit = new CompletableFuture<>();
    private boolean truncated;

    ExecCollector(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void accept(SessionMessage message) {
        switch (message) {
            case SessionMessage.ExecOutput out -> {
                byte[] data = Base64.getDecoder().decode(out.data() == null ? "" : out.data());
                ByteArrayOutputStream target = out.stream() == LogLine.Stream.STDERR ? stderr : stdout;
                int room = cap - target.size();
                if (data.length > room) {
                    truncated = true;
                }
                target.write(data, 0, Math.max(0, Math.min(room, data.length)));
            }
            case SessionMessage.ExecExit done -> exit.complete(done);
            default -> {}
        }
    }

    ExecOutcome await(Duration timeout, ExecChannel channel) {
        SessionMessage.ExecExit done;
        try {
            done = exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            channel.kill();
            synchronized (this) {
                return new ExecOutcome(stdout.toByteArray(), stderr.toByteArray(), 124, true, truncated);
            }
        } catch (InterruptedException e) {
            channel.kill();
            Thread.currentThread().interrupt();
            throw new DriverException(ErrorCode.UNAVAILABLE, "interrupted");
        } catch (ExecutionException e) {
            throw new DriverException(ErrorCode.INTERNAL, "exec failed: " + e.getCause());
        }
        synchronized (this) {
            if (done.error() != null) {
                stderr.writeBytes(("openshell: " + done.error() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return new ExecOutcome(
                    stdout.toByteArray(), stderr.toByteArray(), done.exitCode(), done.timedOut(), truncated);
        }
    }
}
