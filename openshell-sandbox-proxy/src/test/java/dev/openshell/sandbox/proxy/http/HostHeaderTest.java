package dev.openshell.sandbox.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which {@code Host} values name the host a tunnel was checked for. */
class HostHeaderTest {

    private static HttpRequest request(String... hosts) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        for (String h : hosts) {
            r.headers().add("Host", h);
        }
        return r;
    }

    private static String verdict(String checkedHost, int port, String... hosts) {
        RejectedRequest r = HostHeader.check(request(hosts), checkedHost, port);
        return r == null ? "ok" : r.error().wire();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "api.test",
                "api.test:443",
                "API.Test",
                "api.test.",
                "API.TEST.:443",
            })
    void spellingsOfTheCheckedHostPass(String host) {
        assertThat(verdict("api.test", 443, host)).isEqualTo("ok");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "other.test, host_mismatch",
        "other.test:443, host_mismatch",
        "api.test:8443, host_mismatch",
        "api.test:80, host_mismatch",
        "api.test.evil.test, host_mismatch",
        "xn--api-1ma.test, host_mismatch",
        "10.0.0.1, host_mismatch",
        "'api.test@other.test', bad_host",
        "'user@api.test', bad_host",
        "api%2etest, bad_host",
        "'api.test, other.test', bad_host",
        "'api.test other.test', bad_host",
        "api.test:, bad_host",
        "api.test:0, bad_host",
        "api.test:99999, bad_host",
        "api.test:+443, bad_host",
        "'', bad_host",
        "':443', bad_host",
        "a..test, bad_host",
        "'api.test/x', bad_host",
        "'api.test\\', bad_host",
        "'[::1', bad_host",
        "'::1', bad_host",
    })
    void otherHostsAndMalformedValuesAreRefused(String host, String error) {
        assertThat(verdict("api.test", 443, host)).as(host).isEqualTo(error);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"b\u00fccher.example", "api.t\u0435st"})
    void nonAsciiIsRefusedEvenWhenItWouldEncodeToTheCheckedName(String host) {
        assertThat(verdict("xn--bcher-kva.example", 443, host)).isEqualTo("bad_host");
        assertThat(verdict("api.test", 443, host)).isEqualTo("bad_host");
    }

    @org.junit.jupiter.api.Test
    void punycodeMatchesAPunycodeTunnel() {
        assertThat(verdict("xn--bcher-kva.example", 443, "XN--BCHER-KVA.example"))
                .isEqualTo("ok");
    }

    @org.junit.jupiter.api.Test
    void missingAndDuplicateHostsAreRefused() {
        assertThat(verdict("api.test", 443)).isEqualTo("bad_host");
        assertThat(verdict("api.test", 443, "api.test", "api.test")).isEqualTo("bad_host");
        assertThat(verdict("api.test", 443, "api.test", "other.test")).isEqualTo("bad_host");
    }

    @org.junit.jupiter.api.Test
    void ipAddressesCompareByValue() {
        assertThat(verdict("10.0.0.1", 8080, "10.0.0.1:8080")).isEqualTo("ok");
        assertThat(verdict("10.0.0.1", 8080, "10.0.0.2:8080")).isEqualTo("host_mismatch");
        assertThat(verdict("2001:db8::1", 443, "[2001:DB8:0::1]")).isEqualTo("ok");
        assertThat(verdict("2001:db8::1", 443, "[2001:db8::2]:443")).isEqualTo("host_mismatch");
        assertThat(verdict("api.test", 443, "[2001:db8::1]")).isEqualTo("host_mismatch");
    }

    @org.junit.jupiter.api.Test
    void theMessageSaysWhatWasCheckedAndEscapesWhatWasSent() {
        RejectedRequest r = HostHeader.check(request("ro.test:443"), "full.test", 443);
        assertThat(r.detail())
                .isEqualTo("Host names ro.test:443 but this connection was checked for full.test:443; open a"
                        + " connection to that host for its requests");
        assertThat(HostHeader.check(request("a\u00fcb"), "full.test", 443).detail())
                .contains("a?b");
    }
}
