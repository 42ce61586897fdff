package dev.openshell.policy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code allowed_ips} read the way the engine matches them ({@link Cidr#parseForMatching}). */
class CidrMatchingTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "10.0.0.0/8, 10.255.1.2, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "172.16.0.0/12, 172.31.0.1, true",
        "172.16.0.0/12, 172.32.0.1, false",
        "100.64.0.0/10, 100.127.255.255, true",
        "100.64.0.0/10, 100.128.0.0, false",
        "10.1.2.3/32, 10.1.2.3, true",
        "10.1.2.3/32, 10.1.2.4, false",
        "10.1.2.3, 10.1.2.3, true",
        "10.0.0.0/8, ::ffff:10.1.1.1, true",
        "10.0.0.0/8, 64:ff9b::a01:101, true",
        "::ffff:10.0.0.0/104, 10.9.9.9, true",
        "fd00::/8, fd12::1, true",
        "fd00::/8, fc00::1, false",
        "fd00::/127, fd00::1, true",
        "fd00::/127, fd00::2, false",
        "fd00::/8, 10.0.0.1, false",
        "10.0.0.0/8, fd00::1, false",
    })
    void covers(String prefix, String address, boolean expected) {
        var addr = EmbeddedIpv4.unwrap(HostName.literal(address));
        assertThat(Cidr.parseForMatching(prefix).contains(addr)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "fd00::/129", "host.example/8", "10.0.0.0/-1"})
    void rejectsInvalidText(String text) {
        assertThatThrownBy(() -> Cidr.parseForMatching(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
