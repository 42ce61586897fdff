package dev.openshell.gateway.local;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.json.ApiJson;
import dev.openshell.gateway.compute.DriverException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox host of the local driver ({@code openshell-sandbox host --dir D}): found through its
 * control socket, or started when none answers, in a session of its own ({@code setsid}) with its
 * output in {@code D/host.log}, so it outlives this gateway (a {@code kill -9} of the gateway
 * included). Requests are one JSON line each way (the host's {@code HostRequest} and {@code
 * HostAnswer}).
 */
final class SandboxHostProcess {

    private static final Logger log = LoggerFactory.getLogger(SandboxHostProcess.class);
    static final String SOCKET = "host.sock";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ANSWER = 16 << 20;

    private final Path dir;
    private final List<String> command;
    /** Starts a host again when one vanished, and tells it where the gateway is. */
    private Runnable restarted = () -> ensureRunning();

    SandboxHostProcess(Path dir, Path java, Path sandboxJar, List<String> javaOptions) {
        this.dir = dir;
        List<String> c = new ArrayList<>();
        c.add("setsid");
        c.add(java.toString());
        c.addAll(javaOptions);
        c.add("--enable-native-access=ALL-UNNAMED");
        c.add("-jar");
        c.add(sandboxJar.toString());
        c.add("host");
        c.add("--dir");
        c.add(dir.toString());
        this.command = List.copyOf(c);
    }

    Path dir() {
        return dir;
    }

    /** What to do when a request finds no host: start one and configure it. */
    void onMissing(Runnable action) {
        this.restarted = action;
    }

    /** Whether the host has (or had) any sandbox: their workspaces are there. */
    boolean hasSandboxes() {
        try (var children = Files.list(dir.resolve("sandboxes"))) {
            return children.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Makes sure a host answers, starting one if needed; true when it started one. */
    synchronized boolean ensureRunning() {
        if (answers()) {
            return false;
        }
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            log.info("starting the sandbox host: {}", command);
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("host.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new DriverException(ErrorCode.UNAVAILABLE, "cannot start the sandbox host: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (answers()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new DriverException(
                ErrorCode.UNAVAILABLE, "the sandbox host did not start; see " + dir.resolve("host.log"));
    }

    /** Whether a host answers on the socket now (none is started). */
    boolean answers() {
        if (!Files.exists(dir.resolve(SOCKET))) {
            return false;
        }
        try {
            return call(Map.of("op", "list")).path("ok").asBoolean(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** Sends one request; a failure answer becomes a {@link DriverException} with the host's message. */
    JsonNode request(Map<String, Object> request) {
        JsonNode answer;
        try {
            answer = call(request);
        } catch (IOException e) {
            restarted.run();
            try {
                answer = call(request);
            } catch (IOException again) {
                throw new DriverException(
                        ErrorCode.UNAVAILABLE, "the sandbox host does not answer: " + again.getMessage(), again);
            }
        }
        if (!answer.path("ok").asBoolean(false)) {
            String code = answer.path("code").asString("start_failed");
            ErrorCode mapped = ErrorCode.fromWire(code).orElse(ErrorCode.START_FAILED);
            throw new DriverException(mapped, answer.path("error").asString("the sandbox host refused"));
        }
        return answer;
    }

    private JsonNode call(Map<String, Object> request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(dir.resolve(SOCKET)));
            ByteBuffer out = ByteBuffer.wrap(
                    (ApiJson.strict().writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            while (true) {
                in.clear();
                int n = channel.read(in);
                if (n < 0) {
                    break;
                }
                line.write(in.array(), 0, n);
                if (line.size() > MAX_ANSWER) {
                    throw new IOException("the sandbox host's answer is too long");
                }
                if (n > 0 && in.array()[n - 1] == '\n') {
                    break;
                }
            }
            if (line.size() == 0) {
                throw new IOException("the sandbox host closed the connection");
            }
            return ApiJson.lenient().readTree(line.toString(StandardCharsets.UTF_8));
        }
    }
}
