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
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
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
    static final String PID_FILE = "host.pid";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_ANSWER = 16 << 20;

    private final Path dir;
    private final List<String> command;
    /** Starts a host again when one vanished, and tells it where the gateway is. */
    private Runnable restarted = () -> ensureRunning();
    /** Told once per host process that dies while watched. */
    private Consumer<SandboxHostWatch.Death> onDeath = death -> {};
    /** The watch on the host that answers now; null when none is watched. Guarded by this. */
    private SandboxHostWatch watch;
    /** Counts the host processes watched so far: which host a sandbox was given to. Guarded by this. */
    private long generation;

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

    /** What to do when a watched host process dies (a new one is not started here). */
    void onDeath(Consumer<SandboxHostWatch.Death> listener) {
        this.onDeath = listener;
    }

    /** Which host process answers now (see {@link #watchRunning}); changes when one dies and another starts. */
    synchronized long generation() {
        return generation;
    }

    /**
     * Watches the host that answers now, if it is not watched yet: a host found running (started by
     * an earlier gateway) is known by its pid file.
     */
    synchronized void watchRunning() {
        if (watch != null) {
            return;
        }
        pidFromFile(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .flatMap(pid -> SandboxHostWatch.found(pid, generation + 1, this::died))
                .ifPresent(this::watching);
    }

    /** Stops watching the current host (a shutdown asked for is no death). */
    synchronized void unwatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    private void watching(SandboxHostWatch w) {
        watch = w;
        generation = w.generation();
        log.info("watching the sandbox host (pid {})", w.pid());
    }

    /** A watched host died: the current one, or a predecessor a request replaced before its death was seen. */
    private void died(SandboxHostWatch.Death death) {
        synchronized (this) {
            if (watch != null && watch.generation() == death.generation()) {
                watch = null;
            }
        }
        onDeath.accept(death);
    }

    /**
     * The pid the host wrote, once it is an {@code acceptable} one: the host writes it right after
     * it starts listening, so the file may still be missing, or name a dead predecessor, a moment.
     */
    private Optional<Long> pidFromFile(LongPredicate acceptable) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                long pid =
                        Long.parseLong(Files.readString(dir.resolve(PID_FILE)).strip());
                if (acceptable.test(pid)) {
                    return Optional.of(pid);
                }
            } catch (IOException | NumberFormatException e) {
                // not written yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        log.warn("the sandbox host answers but wrote no pid to {}: it is not watched", dir.resolve(PID_FILE));
        return Optional.empty();
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
            watchRunning();
            return false;
        }
        Process started;
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            log.info("starting the sandbox host: {}", command);
            started = new ProcessBuilder(command)
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
                // A watch on a predecessor stays: it still reports that host's death (its sandboxes').
                // setsid runs the host in place (it is not a group leader here), so the child is the
                // host; should it ever fork, the pid file names the host instead.
                long child = started.pid();
                if (pidFromFile(pid -> pid == child).isPresent()) {
                    watching(SandboxHostWatch.child(started, generation + 1, this::died));
                } else {
                    watchRunning();
                }
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
