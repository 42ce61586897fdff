package dev.openshell.sandbox.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.sandbox.linux.KernelRoutes.RouteType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kernel's own answer (no root needed to ask), checked against what the JDK lists. */
class KernelRoutesTest {

    private final KernelRoutes routes = KernelRoutes.open();

    @AfterEach
    void close() {
        routes.close();
    }

    @Test
    void everyAddressOfEveryInterfaceIsLocal() throws SocketException {
        List<InetAddress> own = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address || !a.isLinkLocalAddress())
                .toList();
        assertThat(own).isNotEmpty();
        for (InetAddress a : own) {
            assertThat(routes.typeOf(a)).as(a.toString()).isEqualTo(RouteType.LOCAL);
            assertThat(routes.typeOf(a).isThisHost()).isTrue();
        }
    }

    @Test
    void theWholeLoopbackNetworkIsLocal() {
        assertThat(routes.typeOf(InetAddress.ofLiteral("127.0.0.1"))).isEqualTo(RouteType.LOCAL);
        assertThat(routes.typeOf(InetAddress.ofLiteral("127.45.6.7"))).isEqualTo(RouteType.LOCAL);
    }

    @Test
    void broadcastAndMulticastEndOnThisHostToo() {
        assertThat(routes.typeOf(InetAddress.ofLiteral("255.255.255.255"))).isEqualTo(RouteType.BROADCAST);
        assertThat(routes.typeOf(InetAddress.ofLiteral("224.0.0.1")).isThisHost())
                .isTrue();
    }

    @Test
    void aRemoteAddressIsNotThisHost() {
        // TEST-NET-3: unicast through the default route, or unreachable without one
        RouteType type = routes.typeOf(InetAddress.ofLiteral("203.0.113.7"));
        assertThat(type).isIn(RouteType.UNICAST, RouteType.UNREACHABLE);
        assertThat(type.isThisHost()).isFalse();
    }

    @Test
    void manyQueriesInARowGetTheirOwnAnswers() {
        for (int i = 0; i < 2000; i++) {
            InetAddress a = InetAddress.ofLiteral(i % 2 == 0 ? "127.0.0.1" : "203.0.113.7");
            assertThat(routes.typeOf(a).isThisHost()).isEqualTo(i % 2 == 0);
        }
    }

    @Test
    void aClosedLookupRefusesToAnswer() {
        routes.close();
        assertThatThrownBy(() -> routes.typeOf(InetAddress.ofLiteral("127.0.0.1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
