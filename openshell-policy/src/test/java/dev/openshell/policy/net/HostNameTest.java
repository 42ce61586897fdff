package dev.openshell.policy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNameTest {

    @ParameterizedTest
    @CsvSource({
        "api.github.com, api.github.com",
        "API.GitHub.COM, api.github.com",
        "api.github.com., api.github.com",
        "bücher.example, xn--bcher-kva.example",
        "BÜCHER.example., xn--bcher-kva.example",
        "xn--bcher-kva.example, xn--bcher-kva.example",
        "my_host.example, my_host.example",
        "localhost, localhost",
        "10.0.0.1, 10.0.0.1",
        "'[::1]', ::1",
        "::1, ::1",
        "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "'[fe80:0:0:0:0:0:0:0]', fe80::",
        "::ffff:10.1.2.3, 10.1.2.3",
    })
    void canonicalizes(String input, String expected) {
        assertThat(HostName.canonicalize(input)).isEqualTo(expected);
        assertThat(HostName.canonicalize(expected)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                ".",
                "a..b",
                "-",
                "exa mple.com",
                "a/b",
                "a:b:c:zz",
                "[::1",
                "fe80::1%eth0",
                "1.2.3",
                "256.1.1.1",
                "010.0.0.1",
                "0x7f.0.0.1",
                "*.example.com",
                "a@b.example"
            })
    void rejects(String input) {
        assertThatIllegalArgumentException().isThrownBy(() -> HostName.canonicalize(input));
    }

    @Test
    void rejectsOverlongNamesAndLabels() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostName.canonicalize("a".repeat(64) + ".example"))
                .withMessageContaining("longer than 63");
        String name = ("a".repeat(63) + ".").repeat(4) + "com";
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostName.canonicalize(name))
                .withMessageContaining("longer than 253");
        assertThat(HostName.canonicalize(("a".repeat(62) + ".").repeat(4) + "a"))
                .hasSize(253);
    }

    @ParameterizedTest
    @CsvSource({
        "*.Example.com, *.example.com",
        "**.example.com., **.example.com",
        "*.bücher.example, *.xn--bcher-kva.example",
        "api.example.com, api.example.com",
    })
    void canonicalizesPatterns(String input, String expected) {
        assertThat(HostName.canonicalizePattern(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "*|a bare `*` would allow every host",
                "**|a bare `**` would allow every host",
                "*.|a bare `*` would allow every host",
                "*.com|the top-level domain `com`",
                "**.com.|the top-level domain `com`",
                "api.*.com|only as the whole first label",
                "a*.example.com|only as the whole first label",
                "*.*.example.com|only as the whole first label",
                "***.example.com|only as the whole first label",
                "*.10.0.0.1|cannot be combined with an IP address",
                "*.[::1]|cannot be combined with an IP address",
            })
    void rejectsBadPatterns(String input, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostName.canonicalizePattern(input))
                .withMessageContaining(message);
    }

    @Test
    void ipLiterals() throws Exception {
        assertThat(HostName.isIpLiteral("10.0.0.1")).isTrue();
        assertThat(HostName.isIpLiteral("[::1]")).isTrue();
        assertThat(HostName.isIpLiteral("::1")).isTrue();
        assertThat(HostName.isIpLiteral("example.com")).isFalse();
        assertThat(HostName.isIpLiteral("1.2.3")).isFalse();
        assertThat(HostName.isIpLiteral("[nope]")).isFalse();
        assertThat(HostName.isIpLiteral("")).isFalse();
        assertThat(HostName.ipAddress("192.168.1.1")).contains(InetAddress.getByName("192.168.1.1"));
        assertThat(HostName.ipAddress("example.com")).isEmpty();
        assertThat(HostName.isWildcard("*.example.com")).isTrue();
        assertThat(HostName.isWildcard("**.example.com")).isTrue();
        assertThat(HostName.isWildcard("example.com")).isFalse();
    }

    @Test
    void formatsIpv6PerRfc5952() throws Exception {
        assertThat(HostName.format(InetAddress.getByName("[0:0:0:0:0:0:0:0]"))).isEqualTo("::");
        assertThat(HostName.format(InetAddress.getByName("[1:0:0:2:0:0:0:3]"))).isEqualTo("1:0:0:2::3");
        assertThat(HostName.format(InetAddress.getByName("[1:0:0:2:2:0:0:3]"))).isEqualTo("1::2:2:0:0:3");
        assertThat(HostName.format(InetAddress.getByName("[1:2:3:4:5:6:7:0]"))).isEqualTo("1:2:3:4:5:6:7:0");
        assertThat(HostName.format(InetAddress.getByName("[ABCD::EF]"))).isEqualTo("abcd::ef");
    }
}
