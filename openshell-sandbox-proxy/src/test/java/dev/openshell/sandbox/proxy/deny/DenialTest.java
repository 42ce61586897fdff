package dev.openshell.sandbox.proxy.deny;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.DecidingEndpoint;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import dev.openshell.sandbox.proxy.log.DecisionLinesTest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DenialTest {

    private static final Decision NO_ENDPOINT = new Decision(
            Verdict.DENY,
            Layer.L4,
            Optional.of(new DecidingEndpoint("gh", 0)),
            Optional.empty(),
            "no policy allows /usr/bin/python3 to reach api.github.com:443; policy gh allows it for /usr/bin/gh",
            false,
            Optional.of("--add-endpoint api.github.com:443 --binary /usr/bin/python3"));

    @Test
    void bodyHasEveryFieldAndTheUpdateCommand() {
        String json =
                new Denial("sb-1", NO_ENDPOINT, "api.github.com", 443, "/usr/bin/python3", "CONNECT", null).toJson();

        Map<String, Object> body = DecisionLinesTest.parse(json);
        assertThat(body.keySet())
                .containsExactly(
                        "error",
                        "detail",
                        "layer",
                        "policy",
                        "rule",
                        "host",
                        "port",
                        "binary",
                        "method",
                        "path",
                        "next_steps");
        assertThat(body)
                .containsEntry("error", "policy_denied")
                .containsEntry("detail", NO_ENDPOINT.reason())
                .containsEntry("layer", "l4")
                .containsEntry("policy", "gh")
                .containsEntry("rule", null)
                .containsEntry("host", "api.github.com")
                .containsEntry("port", 443)
                .containsEntry("binary", "/usr/bin/python3")
                .containsEntry("method", "CONNECT")
                .containsEntry("path", null)
                .containsEntry(
                        "next_steps",
                        "openshell policy update sb-1 --add-endpoint api.github.com:443 --binary /usr/bin/python3");
    }

    @Test
    void bodiesOnReadOnlyEndpointsAndRequestLimitsSayWhatWouldLiftThem() {
        Decision body = l7Denial("access: read-only", "GET /x ... takes no request body");
        Decision limit = l7Denial("request_limits.max_query_bytes", "a query of 9 bytes ...");

        assertThat(new Denial("sb-1", body, "ro.test", 443, "/usr/bin/curl", "GET", "/x").nextSteps())
                .isEqualTo("read-only endpoints take no request body; send the request without one, or allow writes"
                        + " to this endpoint (access: read-write, or rules) with openshell policy set sb-1");
        assertThat(new Denial("sb-1", limit, "ro.test", 443, "/usr/bin/curl", "GET", "/x").nextSteps())
                .isEqualTo("the request is larger than the endpoint's request_limits.max_query_bytes allows; send"
                        + " less, or raise the limit in the policy file and apply it with openshell policy set sb-1");
    }

    private static Decision l7Denial(String rule, String reason) {
        return new Decision(
                Verdict.DENY,
                Layer.L7,
                Optional.of(new DecidingEndpoint("api", 0)),
                Optional.of(rule),
                reason,
                false,
                Optional.empty());
    }

    @Test
    void hostileValuesReadBackAsSentOnOneLine() {
        for (String s : DecisionLinesTest.HOSTILE) {
            String json = new Denial("sb-1", NO_ENDPOINT, s, 443, s, "GET", s).toJson();

            assertThat(json).as(s).doesNotContain("\n", "\r", "\u2028", "\u2029", "\u007f");
            assertThat(DecisionLinesTest.parse(json))
                    .as(s)
                    .containsEntry("host", s)
                    .containsEntry("binary", s)
                    .containsEntry("path", s)
                    .containsEntry("error", "policy_denied");
        }
        String lone = new Denial("sb-1", NO_ENDPOINT, "h", 1, "/bin/\ud800x", "GET", "/\udc00").toJson();
        assertThat(DecisionLinesTest.parse(lone))
                .containsEntry("binary", "/bin/\ufffdx")
                .containsEntry("path", "/\ufffd");
    }

    @Test
    void errorResponsesCarryTheCodeAndDetailAsJson() {
        FullHttpResponse response =
                ProxyResponses.error(ByteBufAllocator.DEFAULT, ErrorCode.BAD_REQUEST, "bare LF\n\u0000", true);
        try {
            String body = response.content().toString(StandardCharsets.UTF_8);
            assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
            assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                    .isEqualTo(response.content().readableBytes());
            assertThat(DecisionLinesTest.parse(body))
                    .containsExactly(Map.entry("error", "bad_request"), Map.entry("detail", "bare LF\n\u0000"));
        } finally {
            response.release();
        }
        var raw = ProxyResponses.rawError(ByteBufAllocator.DEFAULT, ErrorCode.TOO_MANY_CONNECTIONS, "ü 😀");
        try {
            String text = raw.toString(StandardCharsets.UTF_8);
            String body = text.substring(text.indexOf("\r\n\r\n") + 4);
            assertThat(text)
                    .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                    .contains("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
            assertThat(DecisionLinesTest.parse(body))
                    .containsExactly(Map.entry("error", "too_many_connections"), Map.entry("detail", "ü 😀"));
        } finally {
            raw.release();
        }
    }
}
