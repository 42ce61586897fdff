package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Protocol switches ({@code Upgrade}, RFC 9110 section 7.8) across the proxy. After a {@code 101}
 * the connection is relayed as raw bytes that no policy looks at, so only one switch is allowed:
 * a WebSocket handshake that is valid in every part (RFC 6455 section 4), on a {@code GET} the
 * policy allowed, answered by a {@code 101} that accepts exactly that handshake. Any other upgrade
 * ({@code h2c}, {@code TLS/1.x}, anything) is taken out of the request, which then goes on as plain
 * HTTP/1.1; a request that names {@code websocket} but is not a valid handshake is refused.
 */
public final class ProtocolSwitch {

    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final String HTTP2_SETTINGS = "http2-settings";

    private ProtocolSwitch() {}

    /** What to do with a request's upgrade. */
    public sealed interface Decision {}

    /** No upgrade asked for (or one that was removed): a plain request. */
    public record Plain() implements Decision {}

    /** A valid WebSocket handshake; {@code key} is its {@code Sec-WebSocket-Key}. */
    public record WebSocket(String key) implements Decision {}

    /** A WebSocket handshake that is not valid: answer 400. */
    public record Refused(RejectedRequest why) implements Decision {}

    private static final Plain PLAIN = new Plain();

    /**
     * Decides on the request's upgrade and removes every upgrade but a valid WebSocket handshake
     * from it (with the {@code Connection} tokens that named them).
     */
    public static Decision inspect(HttpRequest request) {
        HttpHeaders h = request.headers();
        List<String> upgrades = h.getAll(HttpHeaderNames.UPGRADE);
        if (upgrades.isEmpty()) {
            h.remove(HTTP2_SETTINGS);
            return PLAIN;
        }
        boolean websocket = upgrades.stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(t -> t.strip().split("/")[0].toLowerCase(Locale.ROOT))
                .anyMatch("websocket"::equals);
        if (!websocket) {
            strip(h);
            return PLAIN;
        }
        String problem = webSocketProblem(request, upgrades);
        if (problem != null) {
            return new Refused(new RejectedRequest(
                    ErrorCode.BAD_UPGRADE,
                    "not a valid WebSocket handshake: " + problem + "; no other protocol switch is relayed"));
        }
        h.remove(HTTP2_SETTINGS);
        return new WebSocket(h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY));
    }

    private static String webSocketProblem(HttpRequest request, List<String> upgrades) {
        HttpHeaders h = request.headers();
        if (!request.method().equals(HttpMethod.GET)) {
            return "the method is " + request.method() + ", not GET";
        }
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return "the request is " + request.protocolVersion() + ", not HTTP/1.1";
        }
        if (upgrades.size() != 1 || !upgrades.getFirst().strip().equalsIgnoreCase("websocket")) {
            return "Upgrade must be exactly `websocket`";
        }
        if (!hasToken(h, HttpHeaderNames.CONNECTION.toString(), "upgrade")) {
            return "Connection does not list `upgrade`";
        }
        List<String> keys = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (keys.size() != 1 || !isNonce(keys.getFirst())) {
            return "Sec-WebSocket-Key must be one base64 value of 16 bytes";
        }
        List<String> versions = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (versions.size() != 1 || !versions.getFirst().strip().equals("13")) {
            return "Sec-WebSocket-Version must be 13";
        }
        if (HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0) {
            return "a handshake carries no body";
        }
        return null;
    }

    private static boolean isNonce(String key) {
        String k = key.strip();
        if (k.length() != 24 || !k.endsWith("==")) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(k).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Why a {@code 101} may not become a relay, or {@code null} when it accepts the validated
     * handshake. {@code expected} is the request's decision ({@code null} when it asked for none).
     */
    public static String responseProblem(HttpResponse response, Decision expected) {
        if (!(expected instanceof WebSocket ws)) {
            return "the server switched protocols (101) although no valid WebSocket handshake asked it to";
        }
        HttpHeaders h = response.headers();
        if (!"websocket"
                .equalsIgnoreCase(String.valueOf(h.get(HttpHeaderNames.UPGRADE)).strip())) {
            return "the server's 101 does not switch to websocket";
        }
        if (!hasToken(h, HttpHeaderNames.CONNECTION.toString(), "upgrade")) {
            return "the server's 101 does not say Connection: upgrade";
        }
        List<String> accepts = h.getAll(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
        if (accepts.size() != 1 || !accepts.getFirst().strip().equals(accept(ws.key()))) {
            return "the server's Sec-WebSocket-Accept does not answer the handshake's key";
        }
        return null;
    }

    /** The {@code Sec-WebSocket-Accept} that answers {@code key}. */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key.strip() + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    /** Removes the upgrade request and what only makes sense with it. */
    private static void strip(HttpHeaders h) {
        h.remove(HttpHeaderNames.UPGRADE);
        h.remove(HTTP2_SETTINGS);
        List<String> connection = h.getAll(HttpHeaderNames.CONNECTION);
        if (connection.isEmpty()) {
            return;
        }
        List<String> kept = connection.stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(String::strip)
                .filter(t -> !t.isEmpty() && !t.equalsIgnoreCase("upgrade") && !t.equalsIgnoreCase(HTTP2_SETTINGS))
                .toList();
        h.remove(HttpHeaderNames.CONNECTION);
        if (!kept.isEmpty()) {
            h.set(HttpHeaderNames.CONNECTION, String.join(", ", kept));
        }
    }

    private static boolean hasToken(HttpHeaders h, String name, String token) {
        for (String value : h.getAll(name)) {
            for (String t : value.split(",")) {
                if (t.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
