package dev.openshell.api.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.openshell.api.json.ApiJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A real HTTPS server (the JDK's {@code HttpsServer}) on an ephemeral loopback port, answering
 * canned responses per {@code METHOD path} and recording every request it got.
 */
final class FakeGateway implements AutoCloseable {

    /** What the server received. */
    record Received(
            String method, String path, String query, Map<String, String> headers, String body, String clientCn) {}

    /** A canned answer; {@code delayMillis} before it is sent. */
    record Answer(int status, String contentType, String body, long delayMillis, Map<String, String> headers) {
        static Answer json(int status, Object value) {
            return new Answer(status, "application/json", ApiJson.strict().writeValueAsString(value), 0, Map.of());
        }

        static Answer raw(int status, String contentType, String body) {
            return new Answer(status, contentType, body, 0, Map.of());
        }
    }

    /** Answers a request. */
    interface Route {
        Answer answer(Received request);
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    FakeGateway(SSLContext tls, boolean needClientAuth) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(TestPki.loopback(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(p);
            }
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    FakeGateway on(String method, String path, Route route) {
        routes.put(method + " " + path, route);
        return this;
    }

    FakeGateway on(String method, String path, Answer answer) {
        return on(method, path, r -> answer);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            String cn = null;
            try {
                var peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
                cn = ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate
            }
            URI uri = exchange.getRequestURI();
            Received r = new Received(
                    exchange.getRequestMethod(),
                    uri.getPath(),
                    uri.getQuery(),
                    headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    cn);
            received.add(r);
            Route route = routes.get(r.method() + " " + r.path());
            Answer a = route == null
                    ? Answer.raw(404, "text/plain", "no route for " + r.method() + " " + r.path())
                    : route.answer(r);
            if (a.delayMillis() > 0) {
                Thread.sleep(a.delayMillis());
            }
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = a.body() == null ? new byte[0] : a.body().getBytes(StandardCharsets.UTF_8);
            if (a.contentType() != null) {
                exchange.getResponseHeaders().add("Content-Type", a.contentType());
            }
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
