package dev.openshell.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubnetTest {

    @Test
    void firstSubnet() {
        Subnet subnet = new Subnet(0);

        assertThat(subnet.cidr()).isEqualTo("10.200.0.0/30");
        assertThat(subnet.hostAddress().getHostAddress()).isEqualTo("10.200.0.1");
        assertThat(subnet.sandboxAddress().getHostAddress()).isEqualTo("10.200.0.2");
        assertThat(subnet.hostInterface()).isEqualTo("osh0h");
        assertThat(subnet.sandboxInterface()).isEqualTo("osh0s");
    }

    @Test
    void subnetsFollowEachOtherAcrossTheThirdOctet() {
        assertThat(new Subnet(1).cidr()).isEqualTo("10.200.0.4/30");
        assertThat(new Subnet(64).hostAddress().getHostAddress()).isEqualTo("10.200.1.1");
        Subnet last = new Subnet(Subnet.COUNT - 1);
        assertThat(last.cidr()).isEqualTo("10.200.255.252/30");
        assertThat(last.sandboxAddress().getHostAddress()).isEqualTo("10.200.255.254");
        assertThat(last.hostInterface()).isEqualTo("osh16383h").hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void everySubnetHasItsOwnAddressesInside10200() {
        Set<Inet4Address> seen = new HashSet<>();
        IntStream.range(0, Subnet.COUNT).mapToObj(Subnet::new).forEach(subnet -> {
            assertThat(seen.add(subnet.hostAddress())).isTrue();
            assertThat(seen.add(subnet.sandboxAddress())).isTrue();
            assertThat(subnet.hostAddress().getHostAddress()).startsWith("10.200.");
        });
        assertThat(seen).hasSize(2 * Subnet.COUNT);
    }

    @Test
    void indexOutsideTheRangeIsRejected() {
        assertThatThrownBy(() -> new Subnet(-1)).hasMessageContaining("outside 0..16383");
        assertThatThrownBy(() -> new Subnet(Subnet.COUNT)).hasMessageContaining("outside 0..16383");
    }

    @Test
    void proxyPortsMustBeDistinctAndValid() {
        assertThat(ProxyPorts.DEFAULT).isEqualTo(new ProxyPorts(3128, 3129));
        assertThatThrownBy(() -> new ProxyPorts(3128, 3128)).hasMessageContaining("must differ");
        assertThatThrownBy(() -> new ProxyPorts(0, 3129)).hasMessageContaining("outside 1..65535");
    }
}
