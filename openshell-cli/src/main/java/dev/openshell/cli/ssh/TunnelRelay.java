package dev.openshell.cli.ssh;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.client.GatewayClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Copies one SSH connection's bytes between a local pair of streams (the {@code ProxyCommand}'s
 * stdin and stdout) and the gateway's SSH tunnel WebSocket. Reading from the socket waits for
 * each write to finish (backpressure); sends go one at a time, as {@code java.net.http} requires.
 */
final class TunnelRelay implements WebSocket.Listener {

    private static final int CHUNK = 32 * 1024;

    private final OutputStream out;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    TunnelRelay(OutputStream out) {
        this.out = out;
    }

    /** Relays until either side ends; returns normally when the tunnel closed cleanly. */
    void run(GatewayClient gateway, String sandbox, InputStream in) {
        WebSocket socket = gateway.sandboxes().sshTunnel(sandbox, this);
        Thread.ofVirtual().name("ssh-proxy-stdin").start(() -> {
            byte[] buffer = new byte[CHUNK];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0 && !closed.isDone()) {
                    if (n > 0) {
                        socket.sendBinary(ByteBuffer.wrap(buffer, 0, n), true).get();
                    }
                }
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get();
            } catch (IOException | ExecutionException | RuntimeException e) {
                closed.complete(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            closed.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ApiException a
                    ? a
                    : new ApiException(
                            ErrorCode.UNAVAILABLE,
                            "the SSH tunnel broke: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            socket.abort();
        }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        try {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            out.write(bytes);
            out.flush();
            ws.request(1);
        } catch (IOException e) {
            // ssh went away
            closed.complete(null);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        if (statusCode == WebSocket.NORMAL_CLOSURE || statusCode == 1000) {
            closed.complete(null);
        } else {
            closed.completeExceptionally(new ApiException(
                    statusCode == 1012 ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
                    "the gateway closed the SSH tunnel: "
                            + (reason == null || reason.isBlank() ? statusCode : reason)));
        }
        return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(
                new ApiException(ErrorCode.UNAVAILABLE, "the SSH tunnel broke: " + error.getMessage()));
    }
}
