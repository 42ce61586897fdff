package dev.openshell.sandbox.proxy.transparent;

import static dev.openshell.sandbox.proxy.transparent.CaptureSandbox.ELSEWHERE;
import static dev.openshell.sandbox.proxy.transparent.CaptureSandbox.POLICY;
import static dev.openshell.sandbox.proxy.transparent.CaptureSandbox.UPSTREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.net.InNamespace;
import dev.openshell.sandbox.proxy.ReloadResult;
import dev.openshell.sandbox.proxy.log.DecisionRecord;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real thing (root): programs inside a {@link CaptureSandbox} connect "directly" to test
 * servers on {@value CaptureSandbox#UPSTREAM}, named through curl's {@code --resolve}; the firewall
 * hands those connections to the proxy's transparent listener, which attributes, decides and relays.
 */
@RequiresRoot
@RequiresTool({"ip", "nft", "/usr/bin/curl", "/usr/bin/python3"})
class TransparentCaptureIT {

    private static final Duration FAST = Duration.ofSeconds(3);

    private static CaptureSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        CaptureSandbox.requireEpoll();
        sandbox = new CaptureSandbox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void clearLog() {
        sandbox.log.clear();
        sandbox.released.clear();
    }

    @Test
    void tlsToARestEndpointIsInspectedPerRequest() {
        InNamespace get = sandbox.curl(
                "--cacert",
                sandbox.bothCas.toString(),
                "--resolve",
                "api.test:" + sandbox.https.port() + ":" + UPSTREAM,
                "https://api.test:" + sandbox.https.port() + "/repos");
        InNamespace post = sandbox.curl(
                "--cacert",
                sandbox.bothCas.toString(),
                "--resolve",
                "api.test:" + sandbox.https.port() + ":" + UPSTREAM,
                "-X",
                "POST",
                "-d",
                "x=1",
                "https://api.test:" + sandbox.https.port() + "/repos");

        assertThat(get.stdout()).as(get.toString()).isEqualTo("GET /repos body=0\n");
        assertThat(post.stdout())
                .as(post.toString())
                .contains(
                        "\"error\":\"policy_denied\"", "\"layer\":\"l7\"", "\"method\":\"POST\"", "access: read-only");
        assertThat(post.took()).isLessThan(FAST);
        assertThat(sandbox.https.requests).noneMatch(line -> line.startsWith("POST /repos"));
        DecisionRecord admitted = sandbox.awaitRecord(r -> "api.test".equals(r.host()) && "l4".equals(r.layer()));
        assertThat(admitted.verdict()).isEqualTo("allow");
        assertThat(admitted.rule()).startsWith("transparent");
        assertThat(admitted.binary()).isEqualTo("/usr/bin/curl");
        assertThat(admitted.mode()).isEqualTo("transparent");
        assertThat(sandbox.awaitRecord(r -> "POST".equals(r.method())))
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("deny"))
                .satisfies(r -> assertThat(r.layer()).isEqualTo("l7"))
                .satisfies(r -> assertThat(r.mode()).isEqualTo("transparent"));
    }

    @Test
    void tlsToAnL4EndpointIsRelayedUntouchedToTheOriginalDestination() {
        // Trusting only the upstream CA proves the proxy did not terminate TLS.
        InNamespace get = sandbox.curl(
                "--cacert",
                sandbox.upstreamCaPem.toString(),
                "--resolve",
                "raw.test:" + sandbox.https.port() + ":" + UPSTREAM,
                "https://raw.test:" + sandbox.https.port() + "/raw");

        assertThat(get.stdout()).as(get.toString()).isEqualTo("GET /raw body=0\n");
        assertThat(sandbox.awaitRecord(r -> "raw.test".equals(r.host())))
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("allow"))
                .satisfies(r -> assertThat(r.rule()).startsWith("transparent"));
        // the closed capture is reported to the resolver, as on the explicit port
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(sandbox.released)
                        .as("sandbox.released() calls")
                        .anyMatch(a ->
                                a.getAddress().equals(sandbox.network.subnet().sandboxAddress())));
    }

    @Test
    void python3IsDeniedWhereCurlIsAllowed() {
        InNamespace tls = sandbox.inSandbox(sandbox.python, "-c", """
                import socket, ssl
                ctx = ssl.create_default_context()
                raw = socket.create_connection(('%s', %d), timeout=10)
                try:
                    ctx.wrap_socket(raw, server_hostname='api.test')
                    print('connected')
                except (ssl.SSLError, OSError) as e:
                    print('refused', e)
                """.formatted(UPSTREAM, sandbox.https.port()));

        assertThat(tls.stdout()).as(tls.toString()).startsWith("refused").containsIgnoringCase("access denied");
        assertThat(tls.took()).isLessThan(FAST);
        assertThat(sandbox.awaitRecord(r -> "api.test".equals(r.host())))
                .satisfies(r -> assertThat(r.rule()).isEqualTo("bypass:policy_denied"))
                .satisfies(r -> assertThat(r.binary()).isEqualTo(sandbox.python))
                .satisfies(r -> assertThat(r.verdict()).isEqualTo("deny"));
    }

    @Test
    void aServerNameThatDoesNotResolveToTheAddressConnectedToIsSpoofing() {
        int before = sandbox.https.connections.get();
        InNamespace spoof = sandbox.curl(
                "--cacert",
                sandbox.bothCas.toString(),
                "--resolve",
                "api.test:" + sandbox.https.port() + ":" + ELSEWHERE,
                "https://api.test:" + sandbox.https.port() + "/repos");

        assertThat(spoof.exitCode()).as(spoof.toString()).isNotZero();
        assertThat(spoof.stderr()).containsIgnoringCase("access denied");
        assertThat(spoof.took()).isLessThan(FAST);
        assertThat(sandbox.https.connections.get()).isEqualTo(before);
        // this connection's record: one of an earlier test's connections may still be logged late
        assertThat(sandbox.awaitRecord(
                        r -> r.rule() != null && r.rule().startsWith("bypass:") && "api.test".equals(r.host())))
                .satisfies(r -> assertThat(r.rule()).isEqualTo("bypass:name_mismatch"))
                .satisfies(r -> assertThat(r.reason())
                        .isEqualTo("SNI names api.test but the connection was to " + ELSEWHERE
                                + ", which api.test does not resolve to"))
                .satisfies(r -> assertThat(r.binary()).isEqualTo("/usr/bin/curl"));
    }

    @Test
    void plaintextHttpIsAttributedByItsHostHeader() {
        String port = String.valueOf(sandbox.http.port());
        InNamespace plain =
                sandbox.curl("--resolve", "plain.test:" + port + ":" + UPSTREAM, "http://plain.test:" + port + "/hi");
        InNamespace restGet =
                sandbox.curl("--resolve", "api.test:" + port + ":" + UPSTREAM, "http://api.test:" + port + "/r");
        InNamespace restDelete = sandbox.curl(
                "--resolve", "api.test:" + port + ":" + UPSTREAM, "-X", "DELETE", "http://api.test:" + port + "/r");
        InNamespace denied =
                sandbox.curl("--resolve", "denied.test:" + port + ":" + UPSTREAM, "http://denied.test:" + port + "/");
        InNamespace spoofed =
                sandbox.curl("--resolve", "plain.test:" + port + ":" + ELSEWHERE, "http://plain.test:" + port + "/");

        assertThat(plain.stdout()).as(plain.toString()).isEqualTo("GET /hi body=0\n");
        assertThat(restGet.stdout()).as(restGet.toString()).isEqualTo("GET /r body=0\n");
        assertThat(restDelete.stdout()).as(restDelete.toString()).contains("\"layer\":\"l7\"", "\"method\":\"DELETE\"");
        assertThat(denied.stdout())
                .as(denied.toString())
                .contains("\"error\":\"policy_denied\"", "\"host\":\"denied.test\"", "\"layer\":\"l4\"");
        assertThat(spoofed.stdout())
                .as(spoofed.toString())
                .contains("\"rule\":\"bypass:name_mismatch\"", "the Host header names plain.test");
        for (InNamespace refusal : List.of(restDelete, denied, spoofed)) {
            assertThat(refusal.took()).as(refusal.toString()).isLessThan(FAST);
        }
        assertThat(sandbox.awaitRecord(r -> "denied.test".equals(r.host())))
                .satisfies(r -> assertThat(r.rule()).isEqualTo("bypass:policy_denied"))
                .satisfies(r -> assertThat(r.method()).isEqualTo("GET"));
    }

    @Test
    void connectionsThatCannotBeAttributedAreRejectedFastAndLogged() {
        InNamespace silent = sandbox.inSandbox(sandbox.python, "-c", probe(sandbox.http.port(), null));
        InNamespace ssh =
                sandbox.inSandbox(sandbox.python, "-c", probe(sandbox.http.port(), "SSH-2.0-OpenSSH_9.6\\r\\n"));
        InNamespace partial =
                sandbox.inSandbox(sandbox.python, "-c", probe(sandbox.https.port(), "\\x16\\x03\\x01\\x02\\x00\\x01"));
        InNamespace probed = sandbox.inSandbox(
                sandbox.python,
                "-c",
                "import socket; socket.create_connection(('%s', %d)).close()".formatted(UPSTREAM, sandbox.http.port()));
        InNamespace noSni = sandbox.curl("-k", "https://" + UPSTREAM + ":" + sandbox.https.port() + "/");
        InNamespace internet = sandbox.curl("https://1.1.1.1/");

        assertThat(silent.stdout().strip()).as(silent.toString()).isEqualTo("reset");
        assertThat(ssh.stdout().strip()).as(ssh.toString()).isEqualTo("reset");
        assertThat(partial.stdout().strip()).as(partial.toString()).isEqualTo("reset");
        assertThat(probed.exitCode()).as(probed.toString()).isZero();
        assertThat(noSni.exitCode()).as(noSni.toString()).isNotZero();
        assertThat(internet.exitCode()).as(internet.toString()).isNotZero();
        for (InNamespace attempt : List.of(silent, ssh, partial, noSni, internet)) {
            assertThat(attempt.took()).as(attempt.toString()).isLessThan(FAST);
        }
        assertThat(sandbox.awaitRecord(r -> "bypass:silent".equals(r.rule())))
                .satisfies(r -> assertThat(r.binary()).isEqualTo(sandbox.python))
                .satisfies(r -> assertThat(r.host()).isEqualTo(UPSTREAM))
                .satisfies(r -> assertThat(r.port()).isEqualTo(sandbox.http.port()));
        assertThat(sandbox.awaitRecord(r -> "bypass:incomplete".equals(r.rule()))
                        .reason())
                .contains("sent 6 bytes", "no complete TLS ClientHello");
        assertThat(sandbox.awaitRecord(r -> "bypass:closed_early".equals(r.rule()))
                        .port())
                .isEqualTo(sandbox.http.port());
        assertThat(sandbox.awaitRecord(r -> "bypass:unknown_protocol".equals(r.rule()))
                        .binary())
                .isEqualTo(sandbox.python);
        assertThat(sandbox.awaitRecord(r ->
                                "bypass:no_sni".equals(r.rule()) && r.host().equals(UPSTREAM))
                        .binary())
                .isEqualTo("/usr/bin/curl");
        assertThat(sandbox.awaitRecord(r ->
                                "bypass:no_sni".equals(r.rule()) && r.host().equals("1.1.1.1"))
                        .port())
                .isEqualTo(443);
        assertThat(sandbox.log).allMatch(r -> "transparent".equals(r.mode()));
    }

    @Test
    void aReloadThatNoLongerAdmitsARelayedConnectionClosesIt() throws Exception {
        long generation = sandbox.proxy.activeGeneration();
        Process download = new ProcessBuilder(
                        "ip",
                        "netns",
                        "exec",
                        sandbox.network.namespaceName(),
                        "/usr/bin/curl",
                        "-sS",
                        "--noproxy",
                        "*",
                        "--limit-rate",
                        "100K",
                        "-o",
                        "/dev/null",
                        "--cacert",
                        sandbox.upstreamCaPem.toString(),
                        "--resolve",
                        "raw.test:" + sandbox.https.port() + ":" + UPSTREAM,
                        "https://raw.test:" + sandbox.https.port() + "/bulk?n=20000000")
                .redirectErrorStream(true)
                .start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(sandbox.https.requests)
                            .as("the download reached the upstream")
                            .anyMatch(l -> l.startsWith("GET /bulk")));

            ReloadResult reload = sandbox.proxy.replacePolicy(
                    sandbox.compile(POLICY.replace("raw.test", "other.test")), generation + 1);

            assertThat(reload.loaded()).isTrue();
            assertThat(reload.closedConnections()).isEqualTo(1);
            assertThat(download.waitFor(3, TimeUnit.SECONDS))
                    .as("curl ends once its connection is closed")
                    .isTrue();
            assertThat(download.exitValue()).isNotZero();
        } finally {
            download.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            sandbox.proxy.replacePolicy(sandbox.compile(POLICY), generation + 2);
        }
    }

    @Test
    void aNameThePolicyDoesNotAdmitThereIsNeverLookedUp() {
        String https = String.valueOf(sandbox.https.port());
        String http = String.valueOf(sandbox.http.port());
        int apiBefore = sandbox.lookupsOf("api.test");
        InNamespace sni = sandbox.curl(
                "-k", "--resolve", "sni.attacker.test:" + https + ":" + UPSTREAM, "https://sni.attacker.test:" + https);
        InNamespace host = sandbox.curl(
                "--resolve", "host.attacker.test:" + http + ":" + UPSTREAM, "http://host.attacker.test:" + http);
        // api.test is admitted on this port, but for curl only
        InNamespace python = sandbox.inSandbox(
                sandbox.python,
                "-c",
                "import socket, ssl; c = ssl.create_default_context(); c.check_hostname = False;"
                        + " c.verify_mode = ssl.CERT_NONE; c.wrap_socket(socket.create_connection(('%s', %s)),"
                                .formatted(UPSTREAM, https)
                        + " server_hostname='api.test')");

        for (InNamespace attempt : List.of(sni, host, python)) {
            assertThat(attempt.took()).as(attempt.toString()).isLessThan(FAST);
        }
        assertThat(host.stdout()).as(host.toString()).contains("\"error\":\"policy_denied\"");
        for (String name : List.of("sni.attacker.test", "host.attacker.test")) {
            assertThat(sandbox.awaitRecord(r -> name.equals(r.host())).rule()).isEqualTo("bypass:policy_denied");
            assertThat(sandbox.lookupsOf(name)).as("lookups of " + name).isZero();
        }
        assertThat(sandbox.awaitRecord(r -> "api.test".equals(r.host())).binary())
                .isEqualTo(sandbox.python);
        assertThat(sandbox.lookupsOf("api.test")).isEqualTo(apiBefore);
    }

    @Test
    void theExplicitPortStillServesAndIsNotMarkedTransparent() {
        String port = String.valueOf(sandbox.http.port());
        InNamespace viaProxy = sandbox.inSandbox(
                "/usr/bin/curl",
                "-sS",
                "--max-time",
                "10",
                "-x",
                sandbox.network.proxyUrl(),
                "http://plain.test:" + port + "/explicit");

        assertThat(viaProxy.stdout()).as(viaProxy.toString()).isEqualTo("GET /explicit body=0\n");
        assertThat(sandbox.awaitRecord(r -> "plain.test".equals(r.host())).mode())
                .isNull();
        assertThat(sandbox.proxy.transparentAddress()).isEqualTo(sandbox.network.transparentProxyAddress());
    }

    /** Connects, optionally sends {@code send}, and reports how the proxy ended the connection. */
    private static String probe(int port, String send) {
        return """
                import socket
                s = socket.create_connection(('%s', %d), timeout=10)
                %s
                try:
                    data = s.recv(100)
                    print('closed' if data == b'' else 'answered ' + repr(data))
                except ConnectionResetError:
                    print('reset')
                except socket.timeout:
                    print('hung')
                """.formatted(UPSTREAM, port, send == null ? "" : "s.sendall(b'" + send + "')");
    }
}
