package dev.openshell.sandbox.session;

import dev.openshell.api.json.ApiJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sandbox host's control socket: a Unix domain socket, 0600 in the host's 0700 directory (root
 * only). One {@link HostRequest} per connection as one JSON line, one {@link HostAnswer} line back;
 * each connection is served on its own virtual thread, so a slow create does not hold up a list.
 * {@link #request} is the client.
 */
final class HostControlSocket implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HostControlSocket.class);
    static final int MAX_REQUEST = 8 << 20;

    private final ServerSocketChannel server;

    HostControlSocket(Path path, Function<HostRequest, HostAnswer> handler) throws IOException {
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        Thread.ofVirtual().name("host-control").start(() -> accept(handler));
    }

    private void accept(Function<HostRequest, HostAnswer> handler) {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> serve(client, handler));
        }
    }

    private static void serve(SocketChannel client, Function<HostRequest, HostAnswer> handler) {
        try (client) {
            HostAnswer answer;
            try {
                HostRequest request = ApiJson.strict().readValue(readLine(client), HostRequest.class);
                answer = handler.apply(request);
            } catch (RuntimeException e) {
                LOG.warn("control request failed", e);
                answer = HostAnswer.failure("bad_request", String.valueOf(e.getMessage()));
            }
            writeLine(client, ApiJson.strict().writeValueAsString(answer));
        } catch (IOException e) {
            LOG.debug("control connection: {}", e.toString());
        }
    }

    /** Sends one request to the host listening on {@code path} and returns its answer. */
    static HostAnswer request(Path path, HostRequest request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            writeLine(channel, ApiJson.strict().writeValueAsString(request));
            return ApiJson.lenient().readValue(readLine(channel), HostAnswer.class);
        }
    }

    static String readLine(SocketChannel channel) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (true) {
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte b = buffer.get(i);
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            if (line.size() > MAX_REQUEST) {
                throw new IOException("control line longer than " + MAX_REQUEST + " bytes");
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    static void writeLine(SocketChannel channel, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
