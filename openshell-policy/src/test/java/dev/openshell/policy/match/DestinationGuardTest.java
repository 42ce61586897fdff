package dev.openshell.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.net.HostName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationGuardTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, LOOPBACK",
        "127.255.0.9, LOOPBACK",
        "::1, LOOPBACK",
        "::ffff:127.0.0.1, LOOPBACK",
        "::127.0.0.1, LOOPBACK",
        "64:ff9b::127.0.0.1, LOOPBACK",
        "64:ff9b::7f00:1, LOOPBACK",
        "169.254.169.254, LINK_LOCAL",
        "169.254.1.1, LINK_LOCAL",
        "fe80::1, LINK_LOCAL",
        "febf::1, LINK_LOCAL",
        "64:ff9b::169.254.169.254, LINK_LOCAL",
        "100.100.100.200, METADATA",
        "fd00:ec2::254, METADATA",
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "::, UNSPECIFIED",
        "224.0.0.1, MULTICAST",
        "239.255.255.250, MULTICAST",
        "ff02::1, MULTICAST",
        "255.255.255.255, BROADCAST",
        "10.1.2.3, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.1.1, PRIVATE",
        "100.64.0.1, PRIVATE",
        "100.127.255.255, PRIVATE",
        "198.18.0.1, PRIVATE",
        "198.19.255.255, PRIVATE",
        "fc00::1, PRIVATE",
        "fd12:3456::1, PRIVATE",
        "::ffff:192.168.0.1, PRIVATE",
        "172.32.0.1, PUBLIC",
        "172.15.255.255, PUBLIC",
        "100.128.0.1, PUBLIC",
        "198.20.0.1, PUBLIC",
        "140.82.112.3, PUBLIC",
        "2606:4700::1111, PUBLIC",
        "64:ff9b::8.8.8.8, PUBLIC",
        "fec0::1, PUBLIC",
    })
    void classifies(String address, AddressClass expected) {
        assertThat(DestinationGuard.classify(HostName.literal(address))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"::ffff:10.0.0.1, 10.0.0.1", "::10.0.0.1, 10.0.0.1", "64:ff9b::a00:1, 10.0.0.1", "::1, ::1"})
    void unwrapsEmbeddedIpv4(String address, String expected) {
        assertThat(HostName.format(DestinationGuard.unwrap(HostName.literal(address))))
                .isEqualTo(expected);
    }
}
