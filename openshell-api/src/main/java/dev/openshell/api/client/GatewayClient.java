package dev.openshell.api.client;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiHeaders;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.GatewayInfo;
import dev.openshell.api.OpenShellVersion;
import dev.openshell.api.Page;
import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import dev.openshell.api.json.ApiJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;

/**
 * A small client of the gateway's REST API on the JDK's {@link HttpClient}: JSON through {@link
 * ApiJson} (requests written, answers read leniently), every error answer an {@link
 * ApiException} with the gateway's {@link Problem}, and no answer at all one too ({@code
 * gateway_unreachable}, {@code tls_failed}, {@code timeout}). Authenticates with a client
 * certificate (mTLS, through the {@link SSLContext}) or a bearer token. Thread-safe; close it
 * when done.
 *
 * <p>The typed views ({@link #sandboxes()}, {@link #policies()}, ...) cover the API; the generic
 * verbs reach any path.
 */
public final class GatewayClient implements AutoCloseable {

    private static final String JSON = "application/json";

    private final URI baseUrl;
    private final HttpClient http;
    private final String authorization;
    private final Duration requestTimeout;
    private final long maxAnswerBytes;

    GatewayClient(GatewayClientBuilder b) {
        this.baseUrl = b.baseUrl;
        this.authorization = b.bearerToken == null ? null : "Bearer " + b.bearerToken;
        this.requestTimeout = b.requestTimeout;
        this.maxAnswerBytes = b.maxAnswerBytes;
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                // Never follow: a redirect could carry the token to another host.
                .followRedirects(HttpClient.Redirect.NEVER);
        if (b.sslContext != null) {
            http.sslContext(b.sslContext);
        }
        this.http = http.build();
    }

    /** A builder for a client of the gateway at {@code baseUrl} ({@code https://gw.example.com:8443}). */
    public static GatewayClientBuilder builder(URI baseUrl) {
        return new GatewayClientBuilder(baseUrl);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public SandboxesClient sandboxes() {
        return new SandboxesClient(this);
    }

    public PoliciesClient policies() {
        return new PoliciesClient(this);
    }

    public ProvidersClient providers() {
        return new ProvidersClient(this);
    }

    public InferenceClient inference() {
        return new InferenceClient(this);
    }

    public DecisionsClient decisions() {
        return new DecisionsClient(this);
    }

    public TokensClient tokens() {
        return new TokensClient(this);
    }

    /** What the gateway says about itself: version, compute driver, database. */
    public GatewayInfo info() {
        return get(ApiPaths.GATEWAY, Map.of(), GatewayInfo.class);
    }

    /** GET {@code path} ({@code /api/v1/...}) with {@code query}, read as {@code type}. */
    public <T> T get(String path, Map<String, String> query, Class<T> type) {
        return send("GET", path + QueryString.of(query), null, RequestOptions.NONE, javaType(type));
    }

    public <T> T post(String path, Object body, Class<T> type, RequestOptions options) {
        return send("POST", path, body, options, javaType(type));
    }

    public <T> T put(String path, Object body, Class<T> type, RequestOptions options) {
        return send("PUT", path, body, options, javaType(type));
    }

    public <T> T patch(String path, Object body, Class<T> type, RequestOptions options) {
        return send("PATCH", path, body, options, javaType(type));
    }

    /** DELETE {@code path}; idempotent, so a retry answers {@code already_absent}. */
    public DeleteResult delete(String path, RequestOptions options) {
        return send("DELETE", path, null, options, javaType(DeleteResult.class));
    }

    /** One page of the list at {@code path}; {@code pageToken} null for the first. */
    public <T> Page<T> page(String path, Map<String, String> query, String pageToken, Class<T> itemType) {
        JavaType pageType = ApiJson.lenient().getTypeFactory().constructParametricType(Page.class, itemType);
        return send(
                "GET", path + QueryString.of(query, Page.PAGE_TOKEN, pageToken), null, RequestOptions.NONE, pageType);
    }

    /** Every item of the list at {@code path}, fetching pages as the stream is consumed. */
    public <T> Stream<T> listAll(String path, Map<String, String> query, Class<T> itemType) {
        return Pages.stream(token -> page(path, query, token, itemType));
    }

    @Override
    public void close() {
        http.close();
    }

    /** Sends {@code body} as the request body of a {@code PUT} (a file upload); the answer must be 2xx. */
    public void putStream(String pathAndQuery, String contentType, InputStream body, RequestOptions options) {
        HttpRequest request = request("GET", pathAndQuery, null, options);
        HttpRequest put = HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Content-Type", contentType)
                .method("PUT", HttpRequest.BodyPublishers.ofInputStream(() -> body))
                .build();
        exchange(put, pathAndQuery, null);
    }

    /** Copies the body of a {@code GET} (a file download) to {@code out}; the answer must be 2xx. */
    public void getStream(String pathAndQuery, OutputStream out, RequestOptions options) {
        exchange(request("GET", pathAndQuery, null, options), pathAndQuery, out);
    }

    private void exchange(HttpRequest request, String pathAndQuery, OutputStream out) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ErrorAnswers.fromFailure(e, baseUrl, pathAndQuery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the gateway", e);
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            byte[] answer = readBounded(response, pathAndQuery);
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            throw ErrorAnswers.fromAnswer(status, contentType, answer, pathAndQuery);
        }
        try (InputStream in = response.body()) {
            if (out != null) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            throw ErrorAnswers.fromFailure(e, baseUrl, pathAndQuery);
        }
    }

    /**
     * Opens a WebSocket on {@code path} (streaming exec, SSH tunnel) with this client's credentials:
     * the client certificate of its TLS context, or its bearer token.
     */
    public java.net.http.WebSocket openWebSocket(String path, java.net.http.WebSocket.Listener listener) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        String base = stripSlash(baseUrl.toString());
        URI uri =
                URI.create((base.startsWith("https:") ? "wss:" + base.substring(6) : "ws:" + base.substring(5)) + path);
        java.net.http.WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(requestTimeout);
        if (authorization != null) {
            b.header(ApiHeaders.AUTHORIZATION, authorization);
        }
        try {
            return b.buildAsync(uri, listener)
                    .get(requestTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
                @SuppressWarnings("unchecked")
                HttpResponse<Object> r = (HttpResponse<Object>) h.getResponse();
                Object body = r.body();
                byte[] answer = body instanceof byte[] bytes
                        ? bytes
                        : body instanceof String text
                                ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                                : new byte[0];
                throw ErrorAnswers.fromAnswer(
                        r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), answer, path);
            }
            throw ErrorAnswers.fromFailure(
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()), baseUrl, path);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ApiException(ErrorCode.TIMEOUT, "the gateway did not open " + path + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the gateway", e);
        }
    }

    private static JavaType javaType(Class<?> type) {
        return ApiJson.lenient().getTypeFactory().constructType(type);
    }

    /**
     * GET {@code pathAndQuery} asking for {@code accept} (e.g. {@code text/event-stream}) and hands
     * back the answer's body as it arrives; an error answer is thrown like any other. The request
     * timeout covers only the wait for the answer's head. Close the stream to stop reading.
     */
    InputStream openStream(String pathAndQuery, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        request("GET", pathAndQuery, null, RequestOptions.NONE).uri())
                .timeout(requestTimeout)
                .header("Accept", accept + ", " + Problem.MEDIA_TYPE)
                .header("User-Agent", "openshell-api/" + OpenShellVersion.current())
                .GET();
        if (authorization != null) {
            b.header(ApiHeaders.AUTHORIZATION, authorization);
        }
        HttpRequest request = b.build();
        HttpResponse<InputStream> response = exchange(request, pathAndQuery);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            byte[] answer = readBounded(response, pathAndQuery);
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            throw ErrorAnswers.fromAnswer(status, contentType, answer, pathAndQuery);
        }
        return response.body();
    }

    private HttpResponse<InputStream> exchange(HttpRequest request, String pathAndQuery) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw ErrorAnswers.fromFailure(e, baseUrl, pathAndQuery);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the gateway", e);
        }
    }

    private <T> T send(String method, String pathAndQuery, Object body, RequestOptions options, JavaType type) {
        HttpRequest request = request(method, pathAndQuery, body, options);
        HttpResponse<InputStream> response = exchange(request, pathAndQuery);
        byte[] answer = readBounded(response, pathAndQuery);
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            String contentType = response.headers().firstValue("Content-Type").orElse(null);
            throw ErrorAnswers.fromAnswer(status, contentType, answer, pathAndQuery);
        }
        if (status == 204 || answer.length == 0 || type.getRawClass() == Void.class) {
            return null;
        }
        try {
            return ApiJson.lenient().readValue(answer, type);
        } catch (JacksonException e) {
            throw new ApiException(
                    ErrorCode.INTERNAL,
                    "the gateway's answer to " + method + " " + pathAndQuery + " is not a valid "
                            + type.getRawClass().getSimpleName() + ": " + SafeText.oneLine(e.getOriginalMessage(), 200),
                    e);
        }
    }

    private HttpRequest request(String method, String pathAndQuery, Object body, RequestOptions options) {
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + pathAndQuery);
        }
        URI uri = URI.create(stripSlash(baseUrl.toString()) + pathAndQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(options.timeout() != null ? options.timeout() : requestTimeout)
                .header("Accept", JSON + ", " + Problem.MEDIA_TYPE)
                .header("User-Agent", "openshell-api/" + OpenShellVersion.current());
        if (authorization != null) {
            b.header(ApiHeaders.AUTHORIZATION, authorization);
        }
        if (options.idempotencyKey() != null) {
            b.header(ApiHeaders.IDEMPOTENCY_KEY, options.idempotencyKey());
        }
        if (options.ifMatch() != null) {
            b.header(ApiHeaders.IF_MATCH, ApiHeaders.entityTag(options.ifMatch()));
        }
        if (body == null) {
            return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        byte[] json = ApiJson.strict().writeValueAsBytes(body);
        return b.header("Content-Type", JSON)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
    }

    private byte[] readBounded(HttpResponse<InputStream> response, String path) {
        try (InputStream in = response.body()) {
            byte[] answer = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxAnswerBytes + 1));
            if (answer.length > maxAnswerBytes) {
                throw new ApiException(
                        ErrorCode.INTERNAL,
                        "the gateway's answer to " + path + " is larger than " + maxAnswerBytes + " bytes");
            }
            return answer;
        } catch (IOException e) {
            throw ErrorAnswers.fromFailure(e, baseUrl, path);
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
