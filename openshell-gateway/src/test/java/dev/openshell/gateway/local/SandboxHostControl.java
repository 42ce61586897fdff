package dev.openshell.gateway.local;

import static org.awaitility.Awaitility.await;

import dev.openshell.api.json.ApiJson;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Talks to a sandbox host's control socket behind the gateway's back (reconciliation and cleanup in tests). */
final class SandboxHostControl {

    private SandboxHostControl() {}

    static JsonNode request(Path hostDir, Map<String, Object> request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(hostDir.resolve("host.sock")));
            channel.write(ByteBuffer.wrap(
                    (ApiJson.strict().writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(1 << 20);
            while (channel.read(in) >= 0) {
                if (in.position() > 0 && in.get(in.position() - 1) == '\n') {
                    break;
                }
            }
            return ApiJson.lenient().readTree(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
        }
    }

    /** Stops the host and its sandboxes (tests clean up after themselves). */
    static void shutdown(Path hostDir) {
        try {
            request(hostDir, Map.of("op", "shutdown"));
            await("the sandbox host gone")
                    .atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> !java.nio.file.Files.exists(hostDir.resolve("host.pid")));
        } catch (IOException e) {
            // not running
        }
    }
}
