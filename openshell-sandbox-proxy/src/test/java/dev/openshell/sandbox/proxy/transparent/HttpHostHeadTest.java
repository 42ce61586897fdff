package dev.openshell.sandbox.proxy.transparent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpHostHeadTest {

    private static HttpHostHead.Result examine(String text) {
        ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
        HttpHostHead.Result result = new HttpHostHead(16 * 1024, 100).examine(in);
        assertThat(in.readerIndex()).as("nothing consumed").isZero();
        return result;
    }

    @Test
    void readsTheHostOfACompleteHead() {
        assertThat(examine("GET /x?y=1 HTTP/1.1\r\nUser-Agent: t\r\nhOsT: api.test:8080\r\n\r\nbody"))
                .isEqualTo(new HttpHostHead.Named("api.test:8080", "GET", "/x?y=1"));
    }

    @Test
    void anIncompleteHeadWaits() {
        assertThat(examine("GET / HTTP/1.1\r\nHost: a")).isInstanceOf(HttpHostHead.Incomplete.class);
        assertThat(examine("GET / HT")).isInstanceOf(HttpHostHead.Incomplete.class);
    }

    @Test
    void anotherProtocolIsRecognisedByItsFirstLine() {
        assertThat(examine("SSH-2.0-OpenSSH_9.6\r\n")).isInstanceOf(HttpHostHead.NotHttp.class);
        assertThat(examine("EHLO example.com\r\n")).isInstanceOf(HttpHostHead.NotHttp.class);
    }

    @Test
    void unattributableOrSmuggledHeadsAreRefused() {
        assertThat(refusal("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n")).contains("no Host header");
        assertThat(refusal("GET / HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n"))
                .contains("more than one Host");
        assertThat(refusal("GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n"))
                .contains("origin-form");
        assertThat(refusal(
                        "POST / HTTP/1.1\r\nHost: a.test\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .contains("Content-Length and Transfer-Encoding");
        assertThat(refusal("GET / HTTP/1.1\r\nHost: a.test\r\n folded\r\n\r\n")).contains("folding");
    }

    private static String refusal(String text) {
        HttpHostHead.Result result = examine(text);
        assertThat(result).isInstanceOf(HttpHostHead.Refused.class);
        return ((HttpHostHead.Refused) result).why().detail();
    }
}
