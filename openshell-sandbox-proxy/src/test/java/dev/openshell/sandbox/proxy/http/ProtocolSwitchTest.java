package dev.openshell.sandbox.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ErrorCode;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which protocol switches go through, which are stripped, which are refused. */
class ProtocolSwitchTest {

    /** RFC 6455 section 1.3's example. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private static HttpRequest webSocket() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        r.headers()
                .set("Host", "ws.test")
                .set("Upgrade", "websocket")
                .set("Connection", "keep-alive, Upgrade")
                .set("Sec-WebSocket-Key", KEY)
                .set("Sec-WebSocket-Version", "13");
        return r;
    }

    private static HttpResponse switching(String accept) {
        HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        r.headers().set("Upgrade", "websocket").set("Connection", "Upgrade");
        if (accept != null) {
            r.headers().set("Sec-WebSocket-Accept", accept);
        }
        return r;
    }

    @Test
    void aValidHandshakeIsKeptAndOnlyTheMatchingAcceptOpensTheRelay() {
        ProtocolSwitch.Decision d = ProtocolSwitch.inspect(webSocket());

        assertThat(d).isEqualTo(new ProtocolSwitch.WebSocket(KEY));
        assertThat(ProtocolSwitch.accept(KEY)).isEqualTo(ACCEPT);
        assertThat(ProtocolSwitch.responseProblem(switching(ACCEPT), d)).isNull();
        assertThat(ProtocolSwitch.responseProblem(switching("d3Jvbmc="), d)).contains("Sec-WebSocket-Accept");
        assertThat(ProtocolSwitch.responseProblem(switching(null), d)).contains("Sec-WebSocket-Accept");
        HttpResponse h2c = switching(ACCEPT);
        h2c.headers().set("Upgrade", "h2c");
        assertThat(ProtocolSwitch.responseProblem(h2c, d)).contains("does not switch to websocket");
        HttpResponse noConnection = switching(ACCEPT);
        noConnection.headers().remove("Connection");
        assertThat(ProtocolSwitch.responseProblem(noConnection, d)).contains("Connection: upgrade");
    }

    @Test
    void aSwitchNobodyAskedForIsNeverAccepted() {
        assertThat(ProtocolSwitch.responseProblem(switching(ACCEPT), new ProtocolSwitch.Plain()))
                .contains("no valid WebSocket handshake asked");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "h2c                | Upgrade, HTTP2-Settings | keep-alive",
                "TLS/1.2, HTTP/1.1  | upgrade                 | close",
                "foo                | Upgrade                 | ",
                "h2c                |                         | ",
            })
    void otherUpgradesAreRemovedWithTheirConnectionTokens(String upgrade, String connection, String kept) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/x");
        r.headers().set("Upgrade", upgrade).set("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA");
        if (connection != null) {
            r.headers().set("Connection", connection + (kept == null ? "" : ", " + kept));
        }

        assertThat(ProtocolSwitch.inspect(r)).isInstanceOf(ProtocolSwitch.Plain.class);

        assertThat(r.headers().contains("Upgrade")).isFalse();
        assertThat(r.headers().contains("HTTP2-Settings")).isFalse();
        assertThat(r.headers().get("Connection")).isEqualTo(kept);
    }

    @Test
    void http2SettingsWithoutAnUpgradeIsRemovedToo() {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        r.headers().set("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA");
        assertThat(ProtocolSwitch.inspect(r)).isInstanceOf(ProtocolSwitch.Plain.class);
        assertThat(r.headers().contains("HTTP2-Settings")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "method     | the method is POST, not GET",
                "http10     | the request is HTTP/1.0, not HTTP/1.1",
                "list       | Upgrade must be exactly `websocket`",
                "twice      | Upgrade must be exactly `websocket`",
                "connection | Connection does not list `upgrade`",
                "badKey     | Sec-WebSocket-Key must be one base64 value of 16 bytes",
                "shortKey   | Sec-WebSocket-Key must be one base64 value of 16 bytes",
                "twoKeys    | Sec-WebSocket-Key must be one base64 value of 16 bytes",
                "noKey      | Sec-WebSocket-Key must be one base64 value of 16 bytes",
                "version    | Sec-WebSocket-Version must be 13",
                "noVersion  | Sec-WebSocket-Version must be 13",
                "body       | a handshake carries no body",
                "chunked    | a handshake carries no body",
            })
    void invalidWebSocketHandshakesAreRefused(String what, String problem) {
        HttpRequest r = webSocket();
        switch (what) {
            case "method" -> r.setMethod(HttpMethod.POST);
            case "http10" -> r.setProtocolVersion(HttpVersion.HTTP_1_0);
            case "list" -> r.headers().set("Upgrade", "websocket, h2c");
            case "twice" -> r.headers().add("Upgrade", "websocket");
            case "connection" -> r.headers().set("Connection", "keep-alive");
            case "badKey" -> r.headers().set("Sec-WebSocket-Key", "not base64 at all!!!!!==");
            case "shortKey" ->
                r.headers().set("Sec-WebSocket-Key", Base64.getEncoder().encodeToString(new byte[15]));
            case "twoKeys" -> r.headers().add("Sec-WebSocket-Key", KEY);
            case "noKey" -> r.headers().remove("Sec-WebSocket-Key");
            case "version" -> r.headers().set("Sec-WebSocket-Version", "8");
            case "noVersion" -> r.headers().remove("Sec-WebSocket-Version");
            case "body" -> r.headers().set("Content-Length", "3");
            case "chunked" -> r.headers().set("Transfer-Encoding", "chunked");
            default -> throw new IllegalArgumentException(what);
        }

        ProtocolSwitch.Decision d = ProtocolSwitch.inspect(r);

        assertThat(d).isInstanceOf(ProtocolSwitch.Refused.class);
        RejectedRequest why = ((ProtocolSwitch.Refused) d).why();
        assertThat(why.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(why.error()).isEqualTo(ErrorCode.BAD_UPGRADE);
        assertThat(why.detail()).contains(problem);
    }
}
