package dev.openshell.policy.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "10.1.2.3, 10.1.2.3/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "FD00::/8, fd00::/8",
        "'[2001:db8::1]', 2001:db8::1/128",
        "2001:db8:0:0:0:0:0:0/32, 2001:db8::/32",
        "::/0, ::/0",
    })
    void parsesToCanonicalText(String input, String expected) {
        assertThat(Cidr.parse(input).toString()).isEqualTo(expected);
        assertThat(Cidr.parse(expected)).isEqualTo(Cidr.parse(input));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.1/8|has host bits set; the network is `10.0.0.0/8`",
                "fd00::1/8|the network is `fd00::/8`",
                "10.0.0.0/33|prefix length 33; expected 0..32",
                "fd00::/129|expected 0..128",
                "10.0.0.0/|invalid prefix length",
                "10.0.0.0/-1|invalid prefix length",
                "10.0.0.0/8/8|invalid prefix length",
                "10.0.0/8|is not an IP address",
                "example.com|is not an IP address",
                "::ffff:10.0.0.1|IPv4-mapped",
                "''|empty",
            })
    void rejects(String input, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(input)).withMessageContaining(message);
    }

    @Test
    void containment() throws Exception {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        assertThat(ten.contains(InetAddress.getByName("10.255.1.2"))).isTrue();
        assertThat(ten.contains(InetAddress.getByName("11.0.0.0"))).isFalse();
        assertThat(ten.contains(InetAddress.getByName("::a00:1"))).isFalse();
        assertThat(ten.contains(Cidr.parse("10.1.0.0/16"))).isTrue();
        assertThat(Cidr.parse("10.1.0.0/16").contains(ten)).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("127.0.0.1")))
                .isTrue();
        Cidr v6 = Cidr.parse("fe80::/10");
        assertThat(v6.contains(InetAddress.getByName("fe80::1"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("febf:ffff::1"))).isTrue();
        assertThat(v6.contains(InetAddress.getByName("fec0::1"))).isFalse();
        assertThat(v6.isIpv4()).isFalse();
        assertThat(ten.isIpv4()).isTrue();
    }

    @Test
    void overlaps() {
        Cidr loopback = Cidr.parse("127.0.0.0/8");
        assertThat(Cidr.parse("0.0.0.0/0").overlaps(loopback)).isTrue();
        assertThat(Cidr.parse("127.0.0.1").overlaps(loopback)).isTrue();
        assertThat(Cidr.parse("126.0.0.0/8").overlaps(loopback)).isFalse();
        assertThat(Cidr.parse("::/0").overlaps(Cidr.parse("::1/128"))).isTrue();
        assertThat(Cidr.parse("::/0").overlaps(loopback)).isFalse();
    }

    @Test
    void constructorRejectsHostBitsAndBadPrefixes() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> new Cidr(InetAddress.getByName("10.0.0.1"), 8));
        assertThatIllegalArgumentException().isThrownBy(() -> new Cidr(InetAddress.getByName("10.0.0.0"), 40));
        assertThat(new Cidr(InetAddress.getByName("10.0.0.0"), 8)).isEqualTo(Cidr.parse("10.0.0.0/8"));
    }
}
