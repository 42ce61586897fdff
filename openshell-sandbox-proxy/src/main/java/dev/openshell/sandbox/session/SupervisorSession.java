package dev.openshell.sandbox.session;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.session.SessionMessage;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sandbox's long-lived session with the gateway: a WebSocket over TLS that the supervisor opens
 * (outbound only), authenticated with the sandbox's own supervisor token. It says {@link
 * SessionMessage.Hello} first, hands every frame the gateway sends to a handler (on a virtual
 * thread, so a slow handler never stalls the socket), and reconnects with capped exponential
 * backoff and jitter whenever the gateway goes away, for as long as the sandbox lives. While it is
 * down, {@link #send} reports false and the caller decides what to keep.
 */
final class SupervisorSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisorSession.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(3);
    private static final long SEND_TIMEOUT_SECONDS = 10;
    private static final Duration UP_POLL = Duration.ofMillis(20);

    private final String sandboxName;
    private final String token;
    private final Supplier<GatewayTarget> target;
    private final Supplier<SessionMessage.Hello> hello;
    private final Consumer<SessionMessage> handler;
    private final Runnable connected;
    private final ReentrantLock sending = new ReentrantLock();
    /** Frames are handled one at a time, in order (exec input must arrive as sent). */
    private final java.util.concurrent.ExecutorService dispatch =
            java.util.concurrent.Executors.newSingleThreadExecutor(
                    Thread.ofVirtual().factory());

    private final Object state = new Object();
    private volatile WebSocket socket;
    /** The current connection has said hello: the gateway knows whose frames follow. */
    private volatile boolean greeted;

    private volatile boolean closed;
    private Thread connector;

    SupervisorSession(
            String sandboxName,
            String token,
            Supplier<GatewayTarget> target,
            Supplier<SessionMessage.Hello> hello,
            Consumer<SessionMessage> handler,
            Runnable connected) {
        this.sandboxName = sandboxName;
        this.token = token;
        this.target = target;
        this.hello = hello;
        this.handler = handler;
        this.connected = connected;
    }

    /** Starts connecting (in the background); returns at once. */
    void start() {
        synchronized (state) {
            if (connector == null || !connector.isAlive()) {
                connector = Thread.ofVirtual().name("session-" + sandboxName).start(this::connectLoop);
            }
        }
    }

    boolean isUp() {
        return socket != null;
    }

    /**
     * Sends one frame once the session is up (after its hello), waiting at most {@code patience}
     * for that; false when it never was. For the last word of a sandbox (its agent's exit), which
     * must not be lost because the agent ended before the session connected.
     */
    boolean sendWhenUp(SessionMessage message, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            if (greeted && send(message)) {
                return true;
            }
            if (closed || System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(UP_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Drops the current connection (the gateway moved): the session connects again at once. */
    void reconnect() {
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }

    /** Sends one frame; false when the session is down or the send failed. */
    boolean send(SessionMessage message) {
        WebSocket current = socket;
        if (current == null) {
            return false;
        }
        String json = ApiJson.strict().writeValueAsString(message);
        sending.lock();
        try {
            current.sendText(json, true).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.debug("session {}: send failed: {}", sandboxName, e.toString());
            current.abort();
            return false;
        } finally {
            sending.unlock();
        }
    }

    private void connectLoop() {
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            GatewayTarget gateway = target.get();
            if (gateway != null) {
                Listener listener = new Listener();
                try {
                    WebSocket ws = gateway.http()
                            .newWebSocketBuilder()
                            .header("Authorization", "Bearer " + token)
                            .connectTimeout(Duration.ofSeconds(5))
                            .buildAsync(gateway.webSocket(ApiPaths.supervisorSession(sandboxName)), listener)
                            .get(15, TimeUnit.SECONDS);
                    socket = ws;
                    if (send(hello.get())) {
                        greeted = true;
                        backoff = FIRST_BACKOFF;
                        connected.run();
                    }
                    listener.ended.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    LOG.debug("session {}: connect failed: {}", sandboxName, e.toString());
                } finally {
                    greeted = false;
                    socket = null;
                }
            }
            if (closed) {
                return;
            }
            try {
                long jitter = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
                Thread.sleep(backoff.toMillis() / 2 + jitter);
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void handle(SessionMessage message) {
        try {
            handler.accept(message);
        } catch (RuntimeException e) {
            LOG.warn(
                    "session {}: handling {} failed: {}",
                    sandboxName,
                    message.getClass().getSimpleName(),
                    e.toString());
        }
    }

    @Override
    public void close() {
        closed = true;
        dispatch.shutdown();
        WebSocket current = socket;
        if (current != null) {
            try {
                current.sendClose(WebSocket.NORMAL_CLOSURE, "sandbox ended").get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the gateway is gone already
            }
            current.abort();
        }
        Thread running;
        synchronized (state) {
            running = connector;
        }
        if (running != null) {
            running.interrupt();
        }
    }

    /** Collects text frames into messages; completes {@code ended} when the connection ends. */
    private final class Listener implements WebSocket.Listener {

        final java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    SessionMessage message = ApiJson.lenient().readValue(text, SessionMessage.class);
                    dispatch.execute(() -> handle(message));
                } catch (RuntimeException e) {
                    LOG.warn("session {}: unreadable frame from the gateway: {}", sandboxName, e.toString());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            ended.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ended.complete(null);
        }
    }
}
