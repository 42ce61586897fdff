package dev.openshell.sandbox.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict chunked-body grammar, fed whole and one byte at a time. */
class ChunkedBodyScanTest {

    private static final String TAIL = "\r\nGET /next HTTP/1.1\r\n\r\n";

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\0", "\0");
    }

    /** {@code ok:N} when the body is accepted and ends after N bytes, else the failure detail. */
    private static String scanWhole(String body) {
        ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
        try {
            ChunkedBodyScan scan = new ChunkedBodyScan(256, 4);
            int n = scan.scan(buf, 0, buf.writerIndex());
            return verdict(scan, n);
        } finally {
            buf.release();
        }
    }

    private static String scanByteByByte(String body) {
        ByteBuf buf = Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1);
        try {
            ChunkedBodyScan scan = new ChunkedBodyScan(256, 4);
            int n = 0;
            for (int i = 0; i < buf.writerIndex() && !scan.done() && scan.failure() == null; i++) {
                n += scan.scan(buf, i, i + 1);
            }
            return verdict(scan, n);
        } finally {
            buf.release();
        }
    }

    private static String verdict(ChunkedBodyScan scan, int n) {
        if (scan.failure() != null) {
            return scan.failure().detail();
        }
        return scan.done() ? "ok:" + n : "incomplete";
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "5\\r\\nhello\\r\\n0\\r\\n\\r\\n                | ok:15",
                "5\\r\\nhello\\r\\n6\\r\\n world\\r\\n0\\r\\n\\r\\n | ok:26",
                "A\\r\\n0123456789\\r\\n000\\r\\n\\r\\n           | ok:22",
                "5;a\\r\\nhello\\r\\n0\\r\\n\\r\\n              | ok:17",
                "5 ; a = b;c=\"q\\\"x\" \\r\\nhello\\r\\n0\\r\\n\\r\\n | ok:33",
                "0\\r\\nX-Sum: abc\\r\\nX-B:\\r\\n\\r\\n            | ok:23",
                "7fffffff\\r\\n                                 | incomplete",
            })
    void wellFramedBodiesEndExactlyWhereTheyEnd(String body, String expected) {
        String b = unescape(body);
        assertThat(scanWhole(b + TAIL)).isEqualTo(expected);
        assertThat(scanByteByByte(b + TAIL)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "0FFFFFFFF\\r\\n                  | chunk size longer than 8 hex digits",
                "80000000\\r\\n                   | chunk size too large",
                "5\\nhello                        | chunk size line ends with a bare LF",
                "5\\rhello                        | chunk size line ends with a bare CR",
                "\\r\\nhello                      | empty chunk size",
                "xyz\\r\\n                        | invalid chunk size",
                "+5\\r\\n                         | invalid chunk size",
                "-5\\r\\n                         | invalid chunk size",
                "0x5\\r\\n                        | invalid chunk size",
                "~ 5\\r\\n~                       | invalid chunk size",
                "~5 \\r\\n~                       | whitespace after a chunk size is allowed only before an extension",
                "5;\\r\\n                         | chunk extension without a name",
                "5;=x\\r\\n                       | chunk extension without a name",
                "5;a=\\r\\n                       | chunk extension without a value after `=`",
                "5;a=\\0\\r\\n                    | chunk extension without a value after `=`",
                "5;a=b \\r\\n                     | whitespace after a chunk extension value",
                "5;a\\0\\r\\n                     | invalid character in a chunk extension",
                "5;a=\"x\\r\\n                    | invalid character in a quoted chunk extension",
                "5;a=b\\nhello                    | chunk size line ends with a bare LF",
                "5\\r\\nhelloXX0\\r\\n\\r\\n      | chunk data is not followed by CRLF (more data than the chunk size says?)",
                "5\\r\\nhello\\r0\\r\\n\\r\\n     | chunk data is followed by a bare CR",
                "5\\r\\nhello\\n0\\r\\n\\r\\n     | chunk data is not followed by CRLF (more data than the chunk size says?)",
                "0\\r\\nX-A: 1\\r\\n b\\r\\n\\r\\n | obsolete line folding in trailers",
                "0\\r\\nX-A: 1\\n\\r\\n           | trailer line ends with a bare LF",
                "0\\r\\nX-A\\r\\n\\r\\n           | malformed trailer field",
                "0\\r\\nX A: 1\\r\\n\\r\\n        | malformed trailer field name",
                "0\\r\\nX-A: \\0\\r\\n\\r\\n      | control character in trailers",
                "0\\r\\nContent-Length: 5\\r\\n\\r\\n | `content-length` is not allowed in trailers",
                "0\\r\\nTransfer-Encoding: x\\r\\n\\r\\n | `transfer-encoding` is not allowed in trailers",
                "0\\r\\nhost: a\\r\\n\\r\\n       | `host` is not allowed in trailers",
                "0\\r\\nProxy-Foo: a\\r\\n\\r\\n  | `proxy-foo` is not allowed in trailers",
                "0\\r\\na:1\\r\\nb:1\\r\\nc:1\\r\\nd:1\\r\\ne:1\\r\\n\\r\\n | more than 4 trailer fields",
                "0\\r\\n\\rX                      | chunked body ends with a bare CR",
            })
    void malformedBodiesAreRefusedAtTheFirstBadByte(String body, String expected) {
        String b = unescape(body);
        assertThat(scanWhole(b)).isEqualTo(expected);
        assertThat(scanByteByByte(b)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1024, ok:1034", "1025, chunk size line longer than 1024 bytes"})
    void theSizeLineIsBounded(int lineLength, String expected) {
        String line = "1;" + "x".repeat(lineLength - 2);
        assertThat(scanWhole(line + "\r\na\r\n0\r\n\r\n")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"256, ok:263", "257, trailers larger than 256 bytes"})
    void trailersAreBounded(int trailerBytes, String expected) {
        String field = "X:" + "v".repeat(trailerBytes - 2);
        assertThat(scanWhole("0\r\n" + field + "\r\n\r\n")).isEqualTo(expected);
    }
}
