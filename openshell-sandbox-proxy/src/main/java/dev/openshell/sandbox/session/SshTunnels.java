package dev.openshell.sandbox.session;

import dev.openshell.api.session.SessionMessage;
import dev.openshell.sandbox.ssh.SshEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Byte streams from the gateway to the sandbox's SSH server (which listens on host loopback only):
 * {@link SessionMessage.TunnelOpen} connects, {@link SessionMessage.TunnelData} carries bytes
 * either way, {@link SessionMessage.TunnelClose} ends one. The SSH server still authenticates
 * the client with the sandbox's key; the tunnel only carries its bytes.
 */
final class SshTunnels implements AutoCloseable {

    private static final int BUFFER = 32 * 1024;

    private final Supplier<SshEndpoint> endpoint;
    private final Consumer<SessionMessage> out;
    private final Map<String, Socket> open = new ConcurrentHashMap<>();

    SshTunnels(Supplier<SshEndpoint> endpoint, Consumer<SessionMessage> out) {
        this.endpoint = endpoint;
        this.out = out;
    }

    void open(String tunnelId) {
        SshEndpoint ssh = endpoint.get();
        if (ssh == null) {
            out.accept(new SessionMessage.TunnelClose(tunnelId, "this sandbox has no SSH server"));
            return;
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(ssh.host(), ssh.port()), 5_000);
        } catch (IOException e) {
            out.accept(new SessionMessage.TunnelClose(tunnelId, "cannot reach the SSH server: " + e.getMessage()));
            return;
        }
        open.put(tunnelId, socket);
        Thread.ofVirtual().start(() -> pump(tunnelId, socket));
    }

    void data(String tunnelId, String data) {
        Socket socket = open.get(tunnelId);
        if (socket == null) {
            return;
        }
        try {
            socket.getOutputStream().write(Base64.getDecoder().decode(data == null ? "" : data));
        } catch (IOException | IllegalArgumentException e) {
            close(tunnelId, "write failed: " + e.getMessage());
        }
    }

    void close(String tunnelId, String error) {
        Socket socket = open.remove(tunnelId);
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closed anyway
            }
            out.accept(new SessionMessage.TunnelClose(tunnelId, error));
        }
    }

    private void pump(String tunnelId, Socket socket) {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.accept(SessionMessage.TunnelData.of(tunnelId, buffer, n));
            }
            close(tunnelId, null);
        } catch (IOException e) {
            close(tunnelId, null);
        }
    }

    @Override
    public void close() {
        open.keySet().forEach(id -> close(id, "sandbox stopped"));
    }
}
