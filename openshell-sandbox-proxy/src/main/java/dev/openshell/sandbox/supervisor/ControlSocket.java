package dev.openshell.sandbox.supervisor;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.json.SandboxJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/**
 * The supervisor's control socket: a Unix domain socket {@code control.sock} in the state
 * directory, mode 0600 (root only; the agent cannot reach it, Landlock aside). One request per
 * connection: a command line ({@code status}, {@code reload}), then for {@code reload} the policy
 * YAML up to end of stream; the reply is one JSON object line. {@link #request} is the client.
 */
public final class ControlSocket implements AutoCloseable {

    public static final String FILE = "control.sock";

    private static final int MAX_REQUEST = (1 << 20) + 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final Thread acceptor;

    /**
     * Listens on {@code path}; {@code handler} gets the command and the body and returns the JSON
     * reply (it runs on a virtual thread per connection).
     */
    public ControlSocket(Path path, BiFunction<String, byte[], String> handler) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        acceptor = Thread.ofVirtual().name("sandbox-control").start(() -> accept(handler));
    }

    private void accept(BiFunction<String, byte[], String> handler) {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().name("sandbox-control-request").start(() -> serve(client, handler));
        }
    }

    private static void serve(SocketChannel client, BiFunction<String, byte[], String> handler) {
        try (client) {
            byte[] request = readAll(client);
            int newline = indexOf(request, (byte) '\n');
            String command =
                    new String(request, 0, newline < 0 ? request.length : newline, StandardCharsets.UTF_8).strip();
            byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(request, newline + 1, request.length);
            String reply;
            try {
                reply = handler.apply(command, body);
            } catch (RuntimeException e) {
                reply = errorReply(String.valueOf(e.getMessage()));
            }
            Channels.newOutputStream(client).write((reply + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Sends one request to the socket at {@code path} and returns the reply's JSON object. */
    public static Map<String, Object> request(Path path, String command, byte[] body) {
        if (!Files.exists(path)) {
            throw new SandboxException(
                    ErrorCode.CONTROL_UNREACHABLE, "no sandbox is running with control socket " + path);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer rest = ByteBuffer.wrap(body);
            while (rest.hasRemaining()) {
                channel.write(rest);
            }
            channel.shutdownOutput();
            String reply = new String(readAll(channel), StandardCharsets.UTF_8);
            Map<String, Object> json = parseReply(reply);
            if (json.isEmpty()) {
                throw new SandboxException(ErrorCode.CONTROL_UNREACHABLE, "the supervisor gave no reply on " + path);
            }
            return json;
        } catch (IOException e) {
            throw new SandboxException(
                    ErrorCode.CONTROL_UNREACHABLE, "cannot reach the supervisor on " + path + ": " + e.getMessage(), e);
        }
    }

    /** The reply to a request that failed: {@code {"ok": false, "error": message}}. */
    public static String errorReply(String message) {
        return SandboxJson.mapper().writeValueAsString(new ErrorReply(false, message));
    }

    private static Map<String, Object> parseReply(String reply) {
        try {
            Map<String, Object> json = SandboxJson.mapper().readValue(reply, new TypeReference<>() {});
            return json == null ? Map.of() : json;
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    private record ErrorReply(boolean ok, String error) {}

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        acceptor.interrupt();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the state directory goes with it
        }
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) > 0 || buffer.position() > 0) {
            buffer.flip();
            out.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
            if (out.size() > MAX_REQUEST) {
                throw new IOException("request larger than " + MAX_REQUEST + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
