package dev.openshell.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.gateway.session.SupervisorSessions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket endpoints against a real gateway over real TLS: who may open a supervisor session,
 * a streaming exec or an SSH tunnel (hostile callers by kind: no credentials, the operator, API
 * tokens without and with the exec scope, another sandbox's supervisor token), and the relay of a
 * streaming exec between a client and a supervisor (the test plays the supervisor, so the frames
 * are the wire's, byte for byte). A supervisor cannot write into another sandbox's streams.
 */
class SessionEndpointsIT {

    private static RunningGateway gw;
    private static Sandbox a;
    private static Sandbox b;
    private static String tokenA;
    private static String tokenB;
    private static String readToken;
    private static String execToken;

    @BeforeAll
    static void sandboxes() throws Exception {
        gw = SharedGateway.get();
        try (GatewayClient op = gw.operator()) {
            a = op.sandboxes().create(create("ws-a"), RequestOptions.NONE);
            b = op.sandboxes().create(create("ws-b"), RequestOptions.NONE);
            readToken = op.tokens()
                    .create(
                            new ApiTokenCreateRequest("ws-read", List.of(Scope.SANDBOX_READ), Duration.ofHours(1)),
                            RequestOptions.NONE)
                    .secret();
            execToken = op.tokens()
                    .create(
                            new ApiTokenCreateRequest("ws-exec", List.of(Scope.SANDBOX_EXEC), Duration.ofHours(1)),
                            RequestOptions.NONE)
                    .secret();
        }
        tokenA = Files.readString(
                gw.dataDir().resolve("test-driver").resolve(a.id()).resolve("token"));
        tokenB = Files.readString(
                gw.dataDir().resolve("test-driver").resolve(b.id()).resolve("token"));
    }

    private static SandboxCreateRequest create(String name) {
        return new SandboxCreateRequest(name, List.of("sleep", "600"), null, null, null, null, null, null, true);
    }

    @Test
    void onlyTheSandboxsOwnSupervisorMayOpenItsSession() throws Exception {
        String session = ApiPaths.supervisorSession("ws-a");
        assertThat(refusal(gw.trustOnly(), null, session)).isEqualTo(401);
        assertThat(refusal(operatorTls(), null, session)).isEqualTo(403);
        assertThat(refusal(gw.trustOnly(), execToken, session)).isEqualTo(403);
        assertThat(refusal(gw.trustOnly(), tokenB, session)).isEqualTo(403);
        assertThat(refusal(gw.trustOnly(), tokenA, ApiPaths.supervisorSession("no-such-sandbox")))
                .isEqualTo(403);
        assertThat(refusal(gw.trustOnly(), tokenA, "/api/v1/sandboxes/ws-a/../ws-b/supervisor/session"))
                .isIn(400, 403, 404);

        Peer supervisor = Peer.open(gw.trustOnly(), tokenA, session);
        supervisor.send(new SessionMessage.Hello(a.id(), 1));
        SupervisorSessions sessions = gw.bean(SupervisorSessions.class);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> sessions.isUp(a.id()));
        supervisor.close();
    }

    @Test
    void streamingExecAndSshNeedTheExecScopeAndNoSupervisorToken() throws Exception {
        for (String path : List.of(ApiPaths.sandboxExecStream("ws-a"), ApiPaths.sandboxSsh("ws-a"))) {
            assertThat(refusal(gw.trustOnly(), null, path)).as(path).isEqualTo(401);
            assertThat(refusal(gw.trustOnly(), readToken, path)).as(path).isEqualTo(403);
            assertThat(refusal(gw.trustOnly(), tokenA, path)).as(path).isEqualTo(403);
        }
        assertThat(refusal(gw.trustOnly(), execToken, ApiPaths.sandboxExecStream("no-such-sandbox")))
                .isEqualTo(404);
    }

    @Test
    void aStreamingExecIsRelayedAndNoOtherSupervisorCanFeedIt() throws Exception {
        Peer supervisorA = Peer.open(gw.trustOnly(), tokenA, ApiPaths.supervisorSession("ws-a"));
        supervisorA.send(new SessionMessage.Hello(a.id(), 1));
        Peer supervisorB = Peer.open(gw.trustOnly(), tokenB, ApiPaths.supervisorSession("ws-b"));
        supervisorB.send(new SessionMessage.Hello(b.id(), 1));
        SupervisorSessions sessions = gw.bean(SupervisorSessions.class);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> sessions.isUp(a.id()) && sessions.isUp(b.id()));

        Peer client = Peer.open(gw.trustOnly(), execToken, ApiPaths.sandboxExecStream("ws-a"));
        client.send(new SessionMessage.ExecStart("mine", List.of("cat"), false, null, null, null));
        SessionMessage.ExecStart started = supervisorA.next(SessionMessage.ExecStart.class);
        assertThat(started.command()).containsExactly("cat");
        assertThat(started.execId()).isNotEqualTo("mine"); // the gateway names its streams

        client.send(SessionMessage.ExecInput.of("mine", "ping\n".getBytes(StandardCharsets.UTF_8), true));
        SessionMessage.ExecInput input = supervisorA.next(SessionMessage.ExecInput.class);
        assertThat(input.execId()).isEqualTo(started.execId());
        assertThat(input.eof()).isTrue();

        // Another sandbox's supervisor that learned the stream's id still cannot write into it.
        supervisorB.send(SessionMessage.ExecOutput.of(started.execId(), LogLine.Stream.STDOUT, "forged".getBytes(), 6));
        supervisorA.send(SessionMessage.ExecOutput.of(started.execId(), LogLine.Stream.STDOUT, "ping\n".getBytes(), 5));
        supervisorA.send(new SessionMessage.ExecExit(started.execId(), 0, false, null));

        SessionMessage.ExecOutput output = client.next(SessionMessage.ExecOutput.class);
        assertThat(output.execId()).isEqualTo("mine");
        assertThat(new String(java.util.Base64.getDecoder().decode(output.data()), StandardCharsets.UTF_8))
                .isEqualTo("ping\n");
        SessionMessage.ExecExit exit = client.next(SessionMessage.ExecExit.class);
        assertThat(exit.exitCode()).isZero();
        assertThat(client.closed.get(10, TimeUnit.SECONDS)).isTrue();

        supervisorA.close();
        supervisorB.close();
    }

    /**
     * A client's signals reach the supervisor on the gateway's stream id (never one the client
     * names), every accepted name as it is; a name outside the list (a stop the client could not
     * undo, WINCH without a size, a number) ends the stream with a reason that lists the names.
     */
    @Test
    void signalsAreRelayedOnTheGatewaysStreamAndUnknownOnesRefused() throws Exception {
        Peer supervisorA = Peer.open(gw.trustOnly(), tokenA, ApiPaths.supervisorSession("ws-a"));
        supervisorA.send(new SessionMessage.Hello(a.id(), 1));
        SupervisorSessions sessions = gw.bean(SupervisorSessions.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sessions.isUp(a.id()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Peer client = Peer.open(gw.trustOnly(), execToken, ApiPaths.sandboxExecStream("ws-a"));
        client.send(new SessionMessage.ExecStart("mine", List.of("sleep", "60"), true, 80, 24, null));
        SessionMessage.ExecStart started = supervisorA.next(SessionMessage.ExecStart.class);
        for (String name : List.of("INT", "TERM", "HUP", "QUIT", "KILL", "sigint")) {
            // The client's exec id is its own label: another stream's id changes nothing.
            client.send(new SessionMessage.ExecSignal("x-someone-elses", name));
            SessionMessage.ExecSignal relayed = supervisorA.next(SessionMessage.ExecSignal.class);
            assertThat(relayed.execId()).isEqualTo(started.execId());
            assertThat(relayed.signal()).isEqualTo(name.equals("sigint") ? "INT" : name);
        }
        for (String refused : List.of("STOP", "WINCH", "9", "", "INT; rm -rf /")) {
            Peer other = Peer.open(gw.trustOnly(), execToken, ApiPaths.sandboxExecStream("ws-a"));
            other.send(new SessionMessage.ExecStart("other", List.of("sleep", "60"), false, null, null, null));
            supervisorA.next(SessionMessage.ExecStart.class);
            other.send(new SessionMessage.ExecSignal("other", refused));
            assertThat(other.closed.get(10, TimeUnit.SECONDS)).as(refused).isTrue();
            assertThat(other.closeReason).as(refused).contains("signal: must be one of INT");
            // The gateway kills the command of a stream that ended; nothing else reaches the supervisor.
            assertThat(supervisorA.next(SessionMessage.ExecKill.class)).isNotNull();
            other.close();
        }
        client.close();
        supervisorA.close();
    }

    private SSLContext operatorTls() {
        return gw.clientCertificate().sslContext(gw.ca());
    }

    /** The handshake's HTTP status; fails when the WebSocket opened. */
    private static int refusal(SSLContext tls, String bearer, String path) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(tls).build()) {
            WebSocket.Builder builder = http.newWebSocketBuilder();
            if (bearer != null) {
                builder.header("Authorization", "Bearer " + bearer);
            }
            WebSocket ws = builder.buildAsync(
                            URI.create("wss://localhost:" + gw.port() + path), new WebSocket.Listener() {})
                    .get(20, TimeUnit.SECONDS);
            ws.abort();
            throw new AssertionError("the WebSocket " + path + " opened");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    /** One end of a WebSocket speaking {@link SessionMessage} frames. */
    private static final class Peer implements WebSocket.Listener {

        final LinkedBlockingQueue<SessionMessage> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Boolean> closed = new CompletableFuture<>();
        volatile String closeReason;
        private final StringBuilder partial = new StringBuilder();
        private HttpClient http;
        private WebSocket ws;

        static Peer open(SSLContext tls, String bearer, String path) throws Exception {
            Peer peer = new Peer();
            peer.http = HttpClient.newBuilder().sslContext(tls).build();
            WebSocket.Builder builder = peer.http.newWebSocketBuilder();
            if (bearer != null) {
                builder.header("Authorization", "Bearer " + bearer);
            }
            peer.ws = builder.buildAsync(URI.create("wss://localhost:" + gw.port() + path), peer)
                    .get(20, TimeUnit.SECONDS);
            return peer;
        }

        void send(SessionMessage message) throws Exception {
            ws.sendText(ApiJson.strict().writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        }

        <T extends SessionMessage> T next(Class<T> type) throws InterruptedException {
            SessionMessage m = received.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a " + type.getSimpleName() + " frame").isInstanceOf(type);
            return type.cast(m);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(ApiJson.lenient().readValue(partial.toString(), SessionMessage.class));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(true);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(false);
        }

        void close() {
            ws.abort();
            http.close();
        }
    }
}
