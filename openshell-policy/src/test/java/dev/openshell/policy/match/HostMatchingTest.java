package dev.openshell.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.net.HostName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostMatchingTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
        "api.github.com, api.github.com, true",
        "api.github.com, github.com, false",
        "*.example.com, a.example.com, true",
        "*.example.com, a.b.example.com, false",
        "*.example.com, example.com, false",
        "*.example.com, aexample.com, false",
        "**.example.com, a.example.com, true",
        "**.example.com, a.b.c.example.com, true",
        "**.example.com, example.com, false",
        "**.example.com, xexample.com, false",
    })
    void patterns(String pattern, String host, boolean expected) {
        assertThat(HostPattern.of(pattern).matches(host)).isEqualTo(expected);
    }

    @Test
    void requestHostsAreNormalised() {
        assertThat(RequestHost.parse("API.GitHub.COM.").name()).isEqualTo("api.github.com");
        assertThat(RequestHost.parse("bücher.example").name()).isEqualTo("xn--bcher-kva.example");
        assertThat(RequestHost.parse("under_score.example").name()).isEqualTo("under_score.example");
        assertThat(RequestHost.parse("api.github.com").isLiteral()).isFalse();
    }

    @Test
    void ipLiteralsAreRecognisedInEveryResolverForm() {
        assertThat(RequestHost.parse("127.0.0.1").name()).isEqualTo("127.0.0.1");
        assertThat(RequestHost.parse("127.1").name()).isEqualTo("127.0.0.1");
        assertThat(RequestHost.parse("0x7f.0.0.1").name()).isEqualTo("127.0.0.1");
        assertThat(RequestHost.parse("2130706433").name()).isEqualTo("127.0.0.1");
        assertThat(RequestHost.parse("[::1]").name()).isEqualTo("::1");
        assertThat(RequestHost.parse("[2001:DB8:0:0:0:0:0:1]").name()).isEqualTo("2001:db8::1");
        assertThat(RequestHost.parse("::ffff:10.0.0.1").name()).isEqualTo("10.0.0.1");
        assertThat(RequestHost.parse("[::1]").withPort(443)).isEqualTo("[::1]:443");
        assertThat(RequestHost.parse("api.github.com").withPort(443)).isEqualTo("api.github.com:443");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "a..b",
                ".a.b",
                "a b.com",
                "a/b.com",
                "ex@mple.com",
                "1.2.3.999",
                "[::1",
                "::zz",
                "a.b..",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com"
            })
    void invalidHostsAreRejected(String host) {
        assertThat(RequestHost.parse(host)).isNull();
    }

    @Test
    void overlongNamesAreRejected() {
        String label = "a".repeat(60);
        String name = String.join(".", label, label, label, label, label); // 304 chars
        assertThat(RequestHost.parse(name)).isNull();
    }

    @Test
    void ipv6IsFormattedCompressed() {
        assertThat(HostName.format(HostName.literal("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(HostName.format(HostName.literal("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(HostName.format(HostName.literal("::"))).isEqualTo("::");
        assertThat(HostName.format(HostName.literal("fe80::"))).isEqualTo("fe80::");
        assertThat(HostName.literal("api.github.com")).isNull();
    }
}
