package dev.openshell.sandbox.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestHeadScanTest {

    private final RequestHeadScan scan = new RequestHeadScan(16 * 1024, 100);

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void acceptsAPlainRequestAndConsumesNothing() {
        ByteBuf in = buf("GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(scan.scan(in)).isSameAs(RequestHeadScan.OK);
        assertThat(in.readerIndex()).isZero();
    }

    @Test
    void waitsForAnIncompleteHead() {
        assertThat(scan.scan(buf("GET / HTTP/1.1\r\nHost: a"))).isSameAs(RequestHeadScan.INCOMPLETE);
    }

    @Test
    void headArrivingByteByByteIsScannedIncrementally() {
        String head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        ByteBuf in = Unpooled.buffer();
        for (int i = 0; i < head.length() - 1; i++) {
            in.writeByte(head.charAt(i));
            assertThat(scan.scan(in)).isSameAs(RequestHeadScan.INCOMPLETE);
        }
        in.writeByte('\n');
        assertThat(scan.scan(in)).isSameAs(RequestHeadScan.OK);
    }

    static Stream<Arguments> hostileHeads() {
        return Stream.of(
                Arguments.of(
                        "CL and TE",
                        "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                        400,
                        "ambiguous_framing"),
                Arguments.of(
                        "two different CL",
                        "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
                        400,
                        "ambiguous_framing"),
                Arguments.of(
                        "CL list differing",
                        "POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n",
                        400,
                        "ambiguous_framing"),
                Arguments.of(
                        "CL not a number", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, "ambiguous_framing"),
                Arguments.of(
                        "TE not chunked",
                        "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                        400,
                        "ambiguous_framing"),
                Arguments.of(
                        "TE twice",
                        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                        400,
                        "ambiguous_framing"),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\nX-A: 1\r\n 2\r\n\r\n", 400, "bad_request"),
                Arguments.of("space before colon", "GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\n", 400, "bad_request"),
                Arguments.of("bare LF", "GET / HTTP/1.1\nHost: a\n\n", 400, "bad_request"),
                Arguments.of("garbage line", "\u0016\u0003\u0001\u0000\u00a5\u0001\r\n\r\n", 400, "bad_request"),
                Arguments.of("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\n", 505, "version_not_supported"),
                Arguments.of("NUL in value", "GET / HTTP/1.1\r\nX-A: a\u0000b\r\n\r\n", 400, "bad_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileHeads")
    void refusesAmbiguousOrMalformedHeads(String name, String head, int status, String error) {
        RejectedRequest r = (RejectedRequest) scan.scan(buf(head));
        assertThat(r.status().code()).as(name).isEqualTo(status);
        assertThat(r.error().wire()).as(name).isEqualTo(error);
    }

    @Test
    void tooManyHeadersIs431() {
        StringBuilder s = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 101; i++) {
            s.append("X-").append(i).append(": v\r\n");
        }
        RejectedRequest r = (RejectedRequest) scan.scan(buf(s.append("\r\n").toString()));
        assertThat(r.status().code()).isEqualTo(431);
        assertThat(r.error()).isEqualTo(ErrorCode.TOO_MANY_HEADERS);
    }

    @Test
    void oversizedHeadIs431WithoutWaitingForItsEnd() {
        String big = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(17 * 1024);
        RejectedRequest r = (RejectedRequest) scan.scan(buf(big));
        assertThat(r.status().code()).isEqualTo(431);
    }

    @Test
    void overlongRequestLineIs414() {
        RejectedRequest r = (RejectedRequest) scan.scan(buf("GET /" + "a".repeat(17 * 1024)));
        assertThat(r.status().code()).isEqualTo(414);
    }
}
