package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.log.DecisionRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the proxy resolves: a name only when some endpoint could admit it for the calling binary on
 * the requested port; every other name is denied without a lookup, through the explicit port
 * (CONNECT, absolute-form, a second request on a kept-alive connection). Real programs, the real
 * proxy, and {@link ProxyHarness}'s resolver counting every lookup.
 */
class NameResolutionIT {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    private static final String POLICY = """
            version: 1
            network_policies:
              curl_only:
                endpoints:
                  - {host: "**.curl.test", port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}
                  - {host: "**.audit.test", port: HTTPS_PORT, protocol: rest, enforcement: audit, access: read-only,
                     allowed_ips: [10.77.0.0/24]}
                binaries: [{path: /usr/bin/curl}]
              jvm:
                endpoints: [{host: keep.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}]
                binaries: [{path: JAVA}]
              by_address:
                endpoints: [{port: HTTPS_PORT, allowed_ips: [10.77.0.0/24]}]
                binaries: [{path: /usr/bin/wget}]
            """.replace("JAVA", JAVA);

    private static ProxyHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new ProxyHarness();
        h.start(POLICY);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private static String http(String host) {
        return "http://" + host + ":" + h.http.port() + "/";
    }

    private static String https(String host) {
        return "https://" + host + ":" + h.https.port() + "/";
    }

    @Test
    void onlyANameSomeEndpointCouldAdmitForTheCallerIsLookedUp() throws Exception {
        h.curl(https("connect.attacker.test"));
        h.curl(http("absolute.attacker.test"));
        h.curl(https("port.curl.test")); // the name is listed, but for another port
        ProxyHarness.run("/usr/bin/python3", "-c", """
                import urllib.request, sys
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({'http': sys.argv[1]}))
                opener.open(sys.argv[2])
                """, h.proxyUrl(), http("binary.curl.test")); // listed for curl only
        // audit mode relaxes L7 rules only: python3 is not listed, so the name stays unresolved
        ProxyHarness.run("/usr/bin/python3", "-c", """
                import urllib.request, sys
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({'https': sys.argv[1]}))
                opener.open(sys.argv[2])
                """, h.proxyUrl(), https("x.audit.test"));

        for (String name : new String[] {
            "connect.attacker.test", "absolute.attacker.test", "port.curl.test", "binary.curl.test", "x.audit.test"
        }) {
            assertThat(h.decisions(name))
                    .as(name)
                    .isNotEmpty()
                    .allMatch(d -> d.verdict().equals("deny"));
            assertThat(h.lookups.get(name)).as("lookups of " + name).isNull();
        }

        // The controls: a name an endpoint could admit is resolved, once.
        assertThat(h.curl(http("a.curl.test")).out()).isEqualTo("GET / body=0\n");
        // An endpoint without host matches by address: any name its binary asks for on its port is resolved.
        ProxyHarness.run(
                "/usr/bin/wget",
                "-q",
                "-O",
                "-",
                "-e",
                "use_proxy=yes",
                "-e",
                "https_proxy=" + h.proxyUrl(),
                https("anything.example"));
        assertThat(h.lookups.get("a.curl.test")).hasValue(1);
        assertThat(h.lookups.get("anything.example")).hasValue(1);
    }

    @Test
    void aKeptAliveConnectionResolvesOnlyTheNamesItsCallerMayReach() throws Exception {
        try (RawClient client = new RawClient(h.proxy.port())) {
            client.send("GET " + http("keep.test") + "one HTTP/1.1\r\nHost: keep.test\r\n\r\n");
            String first = client.readResponse();
            client.send("GET " + http("second.attacker.test") + " HTTP/1.1\r\nHost: second.attacker.test\r\n\r\n");
            String second = client.readResponse();

            assertThat(first).startsWith("HTTP/1.1 200").endsWith("GET /one body=0\n");
            assertThat(second).startsWith("HTTP/1.1 403").contains("\"error\":\"policy_denied\"");
        }
        assertThat(h.lookups.get("keep.test")).hasValue(1);
        assertThat(h.lookups.get("second.attacker.test")).isNull();
        assertThat(h.decisions("second.attacker.test"))
                .extracting(DecisionRecord::verdict)
                .containsOnly("deny");
    }
}
