package dev.openshell.gateway.local;

import dev.openshell.api.client.GatewayClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A loopback port whose every connection is relayed to a sandbox's SSH tunnel WebSocket (a ProxyCommand's job). */
final class TunnelPort implements AutoCloseable {

    private final ServerSocket server;

    private TunnelPort(ServerSocket server) {
        this.server = server;
    }

    static TunnelPort open(GatewayClient gw, String sandbox) throws IOException {
        TunnelPort port = new TunnelPort(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()));
        Thread.ofVirtual().start(() -> {
            while (!port.server.isClosed()) {
                try {
                    Socket s = port.server.accept();
                    Thread.ofVirtual().start(() -> relay(gw, sandbox, s));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return port;
    }

    int port() {
        return server.getLocalPort();
    }

    private static void relay(GatewayClient gw, String sandbox, Socket socket) {
        try (socket) {
            OutputStream toSsh = socket.getOutputStream();
            WebSocket ws = gw.sandboxes().sshTunnel(sandbox, new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    try {
                        toSsh.write(bytes);
                        toSsh.flush();
                    } catch (IOException e) {
                        w.abort();
                    }
                    w.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                    try {
                        socket.shutdownOutput();
                    } catch (IOException e) {
                        // gone
                    }
                    return null;
                }
            });
            InputStream fromSsh = socket.getInputStream();
            byte[] buffer = new byte[32 * 1024];
            int n;
            while ((n = fromSsh.read(buffer)) >= 0) {
                ws.sendBinary(ByteBuffer.wrap(buffer, 0, n), true).get(10, TimeUnit.SECONDS);
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the connection ended
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
