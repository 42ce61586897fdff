package dev.openshell.sandbox.proxy.l7;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.ProxyHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code protocol: rest} endpoints: TLS terminated with a leaf from the sandbox CA, every request
 * on the kept-alive connection evaluated, allowed ones forwarded over TLS verified against the
 * test upstream CA.
 */
class L7InspectionIT {

    private static final String POLICY = """
            version: 1
            network_policies:
              rest:
                endpoints:
                  - {host: api.test, port: HTTPS_PORT, protocol: rest, access: read-only, allowed_ips: [10.77.0.0/24]}
                  - {host: api.test, port: HTTP_PORT, protocol: rest, access: read-only, allowed_ips: [10.77.0.0/24]}
                  - host: full.test
                    port: HTTPS_PORT
                    protocol: rest
                    access: full
                    deny_rules: [{method: DELETE, path: /admin/**}]
                    allowed_ips: [10.77.0.0/24]
                  - host: q.test
                    port: HTTPS_PORT
                    protocol: rest
                    rules: [{allow: {method: GET, path: /search, query: {lang: "en*"}}}]
                    allowed_ips: [10.77.0.0/24]
                  - {host: audit.test, port: HTTPS_PORT, protocol: rest, access: read-only, enforcement: audit,
                     allowed_ips: [10.77.0.0/24]}
                  - {host: ws.test, port: HTTPS_PORT, protocol: rest, access: read-only, allowed_ips: [10.77.0.0/24]}
                  - host: keep.test
                    port: HTTPS_PORT
                    protocol: rest
                    access: read-only
                    request_limits: {max_url_bytes: 64, max_query_bytes: 16, max_header_bytes: 512}
                    allowed_ips: [10.77.0.0/24]
                binaries: [{path: /usr/bin/curl}, {path: /usr/bin/python3}]
            """;

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

    private static String https(String host, String path) {
        return "https://" + host + ":" + h.https.port() + path;
    }

    private static ProxyHarness.Result curlTls(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "--cacert";
        all[1] = h.sandboxCaPem.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return h.curl(all);
    }

    @Test
    void getIsAllowedAndPostDeniedUnderReadOnly() throws Exception {
        assertThat(curlTls(https("api.test", "/repos")).out()).isEqualTo("GET /repos body=0\n");
        String denied =
                curlTls("-X", "POST", "-d", "x=1", https("api.test", "/repos")).out();
        assertThat(denied)
                .contains(
                        "\"error\":\"policy_denied\"",
                        "\"layer\":\"l7\"",
                        "\"method\":\"POST\"",
                        "\"path\":\"/repos\"",
                        "\"policy\":\"rest\"",
                        "access: read-only",
                        "openshell policy update");
        assertThat(h.https.requests).noneMatch(line -> line.startsWith("POST /repos"));
    }

    @Test
    void plaintextHttpInsideInspectedTunnelsAndForwardIsInspectedToo() throws Exception {
        String url = "http://api.test:" + h.http.port() + "/plain";
        assertThat(h.curl(url).out()).isEqualTo("GET /plain body=0\n");
        assertThat(h.curl("-X", "DELETE", url).out()).contains("\"layer\":\"l7\"");
        assertThat(h.curl("-p", url).out()).isEqualTo("GET /plain body=0\n");
        assertThat(h.curl("-p", "-X", "PUT", url).out()).contains("\"layer\":\"l7\"");
    }

    @Test
    void denyRulesWinOverFullAccess() throws Exception {
        assertThat(curlTls("-X", "DELETE", https("full.test", "/admin/users/1")).out())
                .contains("\"rule\":\"deny_rules[0]\"");
        assertThat(curlTls("-X", "DELETE", https("full.test", "/repos/1")).out())
                .isEqualTo("DELETE /repos/1 body=0\n");
    }

    @Test
    void queryMatcherAndRedactedLog() throws Exception {
        assertThat(curlTls(https("q.test", "/search?lang=en-GB&secret=s3cr3t")).out())
                .startsWith("GET /search?lang=en-GB");
        assertThat(curlTls(https("q.test", "/search?lang=de")).out()).contains("policy_denied");
        assertThat(h.decisions("q.test"))
                .anyMatch(d -> "/search?lang=*&secret=*".equals(d.path())
                        && d.verdict().equals("allow"))
                .noneMatch(d -> d.path() != null && d.path().contains("s3cr3t"))
                .noneMatch(d -> d.reason() != null && d.reason().contains("lang=de"));
    }

    @Test
    void auditModeLetsThroughAndLogsTheWouldBeDenial() throws Exception {
        assertThat(curlTls("-X", "POST", https("audit.test", "/write")).out()).isEqualTo("POST /write body=0\n");
        assertThat(h.decisions("audit.test"))
                .anyMatch(d -> d.verdict().equals("audit")
                        && d.method().equals("POST")
                        && d.layer().equals("l7"));
    }

    @Test
    void keepAliveConnectionCarriesMixedAllowedAndDeniedRequests() throws Exception {
        String out = curlTls(
                        "-w",
                        "[%{http_code} %{num_connects}]\\n",
                        https("api.test", "/a"),
                        "--next",
                        "--cacert",
                        h.sandboxCaPem.toString(),
                        "-x",
                        h.proxyUrl(),
                        "-sS",
                        "-w",
                        "[%{http_code} %{num_connects}]\\n",
                        "-X",
                        "POST",
                        https("api.test", "/b"),
                        "--next",
                        "--cacert",
                        h.sandboxCaPem.toString(),
                        "-x",
                        h.proxyUrl(),
                        "-sS",
                        "-w",
                        "[%{http_code} %{num_connects}]\\n",
                        https("api.test", "/c"))
                .out();
        assertThat(out).contains("GET /a body=0\n[200 1]", "[403 0]", "GET /c body=0\n[200 0]");
        assertThat(h.https.requests).noneMatch(line -> line.startsWith("POST /b"));
    }

    @Test
    void webSocketIsRelayedAfterAnAllowedGet() throws Exception {
        String script = """
                import socket, ssl, sys, os, base64
                proxy_port, port, ca = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
                s = socket.create_connection(('127.0.0.1', proxy_port))
                s.sendall(f'CONNECT ws.test:{port} HTTP/1.1\\r\\nHost: ws.test:{port}\\r\\n\\r\\n'.encode())
                assert s.recv(4096).startswith(b'HTTP/1.1 200')
                t = ssl.create_default_context(cafile=ca).wrap_socket(s, server_hostname='ws.test')
                key = base64.b64encode(os.urandom(16)).decode()
                t.sendall(('GET /ws HTTP/1.1\\r\\nHost: ws.test\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n'
                           f'Sec-WebSocket-Key: {key}\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n').encode())
                head = b''
                while b'\\r\\n\\r\\n' not in head:
                    head += t.recv(1)
                print(head.split(b'\\r\\n')[0].decode())
                payload, mask = b'hello', os.urandom(4)
                t.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                frame = t.recv(4096)
                print(frame[2:2 + frame[1]].decode())
                """;
        var r = ProxyHarness.run(
                "/usr/bin/python3",
                "-c",
                script,
                String.valueOf(h.proxy.port()),
                String.valueOf(h.https.port()),
                h.sandboxCaPem.toString());
        assertThat(r.out()).isEqualTo("HTTP/1.1 101 Switching Protocols\necho:hello\n");
    }

    @Test
    void readOnlyTakesNoBodyOnAnyMethodItAllows() throws Exception {
        for (String method : new String[] {"GET", "OPTIONS"}) {
            String out = curlTls("-X", method, "-d", "secret=1", https("api.test", "/ro-body"))
                    .out();
            assertThat(out)
                    .as(method)
                    .contains(
                            "\"error\":\"policy_denied\"",
                            "\"rule\":\"access: read-only\"",
                            "takes no request body",
                            "read-only endpoints take no request body");
        }
        assertThat(curlTls("-X", "GET", "-H", "Content-Length: 0", https("api.test", "/ro-empty"))
                        .out())
                .isEqualTo("GET /ro-empty body=0\n");
        assertThat(h.https.requests).noneMatch(line -> line.contains("/ro-body"));
    }

    @Test
    void requestLimitsBoundUrlQueryAndHeaders() throws Exception {
        assertThat(curlTls(https("keep.test", "/ok?q=1")).out()).isEqualTo("GET /ok?q=1 body=0\n");
        assertThat(curlTls(https("keep.test", "/" + "u".repeat(70))).out())
                .contains("\"rule\":\"request_limits.max_url_bytes\"");
        assertThat(curlTls(https("keep.test", "/q?k=" + "q".repeat(20))).out())
                .contains("\"rule\":\"request_limits.max_query_bytes\"");
        assertThat(curlTls("-H", "X-Data: " + "d".repeat(600), https("keep.test", "/h"))
                        .out())
                .contains("\"rule\":\"request_limits.max_header_bytes\"", "(512)");
        assertThat(h.decisions("keep.test"))
                .anyMatch(d -> d.verdict().equals("deny") && "request_limits.max_query_bytes".equals(d.rule()))
                .noneMatch(d -> d.path() != null && d.path().contains("qqqq"));
    }

    @Test
    void aRequestForAnotherHostInTheTunnelIs400AndNeverLeaves() throws Exception {
        String out = curlTls(
                        "-X",
                        "DELETE",
                        "-H",
                        "Host: api.test:" + h.https.port(),
                        "-w",
                        " %{http_code}",
                        https("full.test", "/mismatch/1"))
                .out();
        assertThat(out)
                .contains("\"error\":\"host_mismatch\"", "checked for full.test:")
                .endsWith(" 400");
        assertThat(h.decisions("full.test"))
                .anyMatch(d -> "limit:host_mismatch".equals(d.rule())
                        && "DELETE".equals(d.method())
                        && d.binary() != null
                        && d.layer().equals("l7"));
        assertThat(h.https.requests).noneMatch(line -> line.contains("/mismatch/1"));
    }

    @Test
    void anH2cUpgradeIsRemovedAndTheRequestStaysHttp11() throws Exception {
        String url = "http://api.test:" + h.http.port() + "/upgrade-h2c";
        assertThat(h.curl("--http2", "-w", " %{http_version}", url).out()).isEqualTo("GET /upgrade-h2c body=0\n 1.1");
        assertThat(h.curl("-p", "--http2", "-w", " %{http_version}", url).out())
                .isEqualTo("GET /upgrade-h2c body=0\n 1.1");
        assertThat(h.http.heads).filteredOn(l -> l.contains("/upgrade-h2c")).allMatch(l -> l.endsWith("upgrade=null"));
    }
}
