package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real proxy refuses the host it runs on, whatever the policy says: an address of one of the
 * host's interfaces (here the host end of the fake internet's link, on which a server listens), and
 * a network configured as the host's own although no interface has it (where a gateway listens:
 * here the fake internet's second server). A literal private address that is neither is reached.
 */
class HostAddressGuardIT {

    private static final String GATEWAY = "10.77.0.2";

    private static ProxyHarness h;
    private static TestUpstream onTheHost;
    private static TestUpstream gateway;

    @BeforeAll
    static void start() throws Exception {
        h = new ProxyHarness();
        String transit = h.internet.hostSideAddress();
        onTheHost = new TestUpstream(transit, null);
        h.internet.address(GATEWAY);
        gateway = h.internet.inside(() -> new TestUpstream(GATEWAY, null));
        h.dns.put("transit.corp.test", transit);
        h.dns.put("gateway.corp.test", GATEWAY);
        h.extraHostAddresses = List.of(Cidr.parse(GATEWAY));
        h.start("""
                version: 1
                network_policies:
                  lan:
                    endpoints:
                      - {host: "TRANSIT", port: HOST_PORT}
                      - {host: "GATEWAY", port: GATEWAY_PORT}
                      - {host: "UPSTREAM", port: HTTP_PORT}
                      - {host: "**.corp.test", ports: [HOST_PORT, GATEWAY_PORT], allowed_ips: [10.0.0.0/8]}
                    binaries: [{path: /usr/bin/curl}]
                """.replace("TRANSIT", transit)
                .replace("HOST_PORT", String.valueOf(onTheHost.port()))
                .replace("GATEWAY_PORT", String.valueOf(gateway.port()))
                .replace("GATEWAY", GATEWAY)
                .replace("UPSTREAM", ProxyHarness.UPSTREAM_IP));
    }

    @AfterAll
    static void stop() {
        if (onTheHost != null) {
            onTheHost.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void anAddressOfAHostInterfaceIsRefusedByLiteralAndByName() throws Exception {
        String transit = h.internet.hostSideAddress();
        for (String url : List.of(
                "http://" + transit + ":" + onTheHost.port() + "/",
                "http://[::ffff:" + transit + "]:" + onTheHost.port() + "/",
                "http://transit.corp.test:" + onTheHost.port() + "/")) {
            assertThat(h.curl(url).out())
                    .as(url)
                    .contains("\"rule\":\"destination-guard\"", "an address of this host, which is never allowed");
        }
        assertThat(h.curl("-p", "http://" + transit + ":" + onTheHost.port() + "/")
                        .out())
                .contains("CONNECT tunnel failed, response 403");
        assertThat(onTheHost.connections.get()).isZero();
    }

    @Test
    void aNetworkConfiguredAsTheHostsOwnIsRefusedToo() throws Exception {
        for (String host : List.of(GATEWAY, "gateway.corp.test")) {
            assertThat(h.curl("http://" + host + ":" + gateway.port() + "/").out())
                    .as(host)
                    .contains("\"rule\":\"destination-guard\"", "an address of this host");
        }
        assertThat(gateway.connections.get()).isZero();
        // the control: a literal private address that is not the host's is an explicit allow
        assertThat(h.curl("http://" + ProxyHarness.UPSTREAM_IP + ":" + h.http.port() + "/lit")
                        .out())
                .isEqualTo("GET /lit body=0\n");
    }
}
