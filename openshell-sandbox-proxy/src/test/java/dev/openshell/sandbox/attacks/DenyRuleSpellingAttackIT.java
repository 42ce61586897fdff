package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spelling a denied path so that the policy misses it but the server still reads the denied path:
 * a sandbox whose policy gives {@code full} access to a REST endpoint except {@code deny_rules:
 * [{method: "*", path: "/v1/admin/**"}]} (and {@code DELETE /v1/items/*}). curl and python3 in the
 * sandbox send every spelling class (percent-encoded letters, case, Unicode case mappings, matrix
 * parameters, empty segments, trailing dots and blanks, full-width forms, double encoding, NTFS
 * stream suffixes, backslashes, encoded slashes, dot-segments, controls, overlong UTF-8,
 * fragments, encoded query separators, method case and overrides, {@code *} and absolute forms),
 * inside a TLS tunnel and as absolute-form plain HTTP. Each is answered 403 (the deny rule matched) or 400 (refused as ambiguous), and the
 * upstream receives nothing but the control requests, in their canonical form.
 */
@SandboxHost
class DenyRuleSpellingAttackIT {

    private static final String POLICY = SandboxFixture.systemPolicy() + """
            network_policies:
              api:
                endpoints:
                  - host: full.test
                    ports: [HTTPS_PORT, HTTP_PORT]
                    protocol: rest
                    access: full
                    allowed_ips: [10.95.0.0/24]
                    deny_rules:
                      - {method: "*", path: "/v1/admin/**"}
                      - {method: DELETE, path: "/v1/items/*"}
                binaries: [{path: /usr/bin/curl}, {path: /usr/bin/python3}]
            """;

    private static final String DENIED = "403 policy_denied";
    private static final String AMBIGUOUS = "400 ambiguous_path";
    private static final String MALFORMED = "400 bad_request";

    private record Spelling(String method, String target, String expected) {}

    /** Spellings curl sends as written (with --path-as-is and -g) and python3 sends raw. */
    private static final List<Spelling> SPELLINGS = List.of(
            deny("/v1/admin"),
            deny("/v1/admin/users"),
            // percent-encoded unreserved characters
            deny("/v1/%61dmin/users"),
            deny("/%76%31/admin"),
            deny("/v1/%61%64%6D%69%6E"),
            // case, and Unicode case mappings (ı upper-cases to I, İ lower-cases to i)
            deny("/V1/ADMIN/users"),
            deny("/v1/Admin"),
            deny("/v1/adm%C4%B1n"),
            deny("/v1/adm%C4%B0n"),
            // matrix parameters
            deny("/v1/admin;x=1/users"),
            deny("/v1;x=1/admin"),
            deny("/v1/admin;jsessionid=0123ABC"),
            deny("/v1/admin%3bx=1/users"),
            deny("/;/v1/admin"),
            // empty segments, trailing slash
            deny("/v1//admin/users"),
            deny("/v1///admin"),
            deny("/v1/admin/"),
            // trailing dots and whitespace
            deny("/v1/admin./users"),
            deny("/v1/admin%2e"),
            deny("/v1/admin..."),
            deny("/v1/admin%20"),
            deny("/v1/admin%20/users"),
            deny("/v1/admin%C2%A0"),
            deny("/v1/admin%E3%80%80"),
            // full-width and compatibility forms
            deny("/v1/%EF%BD%81%EF%BD%84%EF%BD%8D%EF%BD%89%EF%BD%8E"),
            deny("/%EF%BC%B61/admin"),
            deny("/v1/admin%EF%BC%8E"),
            deny("/v1/admin%EF%BC%9Bx=1"),
            // double encoding that only hides letters or a query separator
            deny("/v1/%2561dmin"),
            deny("/v1/%252561dmin"),
            deny("/v1/admin%253f"),
            // NTFS stream suffixes name the directory itself on Windows
            deny("/v1/admin::$INDEX_ALLOCATION/users"),
            deny("/v1/admin:$i30:$INDEX_ALLOCATION/users"),
            // a query does not hide the path
            deny("/v1/admin?x=1"),
            deny("/v1/Admin?next=/v2"),
            // method case for a method-specific deny rule
            new Spelling("DELETE", "/v1/items/1", DENIED),
            new Spelling("delete", "/v1/items/1", DENIED),
            new Spelling("Delete", "/V1/Items/1", DENIED),
            // refused: read differently by different servers
            ambiguous("//v1/admin"),
            ambiguous("/v1/admin%09"),
            ambiguous("/v1/admin%0a"),
            ambiguous("/v1/admin%0D%0A"),
            ambiguous("/v1/admin%00.json"),
            ambiguous("/v1/admin%7f"),
            ambiguous("/v1/admin%C2%85"),
            ambiguous("/v1%EF%BC%8Fadmin"),
            ambiguous("/v1%EF%BC%BCadmin"),
            ambiguous("/v1/x/%EF%BC%8E%EF%BC%8E/admin"),
            ambiguous("/v1/x/%252e%252e/admin"),
            ambiguous("/v1%252fadmin"),
            ambiguous("/v1%255cadmin"),
            ambiguous("/v1/admin%2500"),
            ambiguous("/v1\\admin"),
            ambiguous("/v1%5cadmin"),
            ambiguous("/v1%5Cadmin"),
            ambiguous("/v1%2fadmin"),
            ambiguous("/v1/x/../admin"),
            ambiguous("/v1/x/%2e%2e/admin"),
            ambiguous("/v1/x/.%2e/admin"),
            ambiguous("/v1/./admin"),
            ambiguous("/v1/x/..;/admin"),
            ambiguous("/v1/x/..%3b/admin"),
            ambiguous("/v1/x/..%20/admin"),
            ambiguous("/v1/x/.../admin"),
            ambiguous("/v1%c0%afadmin"),
            ambiguous("/v1/x/%c0%ae%c0%ae/admin"),
            ambiguous("/v1/adm%e9n"),
            ambiguous("/v1/admin%3f"),
            ambiguous("/v1/admin%3Fx=1"),
            ambiguous("/v1/admin%23x"));

    /** Spellings only a raw client can send: a fragment, raw non-ASCII bytes, non-origin forms. */
    private static final List<Spelling> TUNNEL_RAW = List.of(
            ambiguous("/v1/x#/../admin"),
            new Spelling("GET", "/v1/\uff41\uff44\uff4d\uff49\uff4e", MALFORMED),
            new Spelling("OPTIONS", "*", MALFORMED),
            new Spelling("GET", "http://full.test/v1/admin", MALFORMED),
            new Spelling("GET", "full.test:443", MALFORMED));

    /** Sent first in every run: these must reach the upstream, in canonical form. */
    private static final List<Spelling> CONTROLS = List.of(
            new Spelling("GET", "/v1/ok", "200 -"),
            new Spelling("GET", "/v1/administrator", "200 -"),
            new Spelling("GET", "/v1/admin-panel", "200 -"),
            new Spelling("GET", "/v1/%7Euser/%61", "200 -"),
            new Spelling("GET", "/v1/a%2cb", "200 -"));

    private static final List<String> CONTROLS_RECEIVED = List.of(
            "POST /v1/items/1 body=0",
            "GET /v1/ok body=0",
            "GET /v1/administrator body=0",
            "GET /v1/admin-panel body=0",
            "GET /v1/~user/a body=0",
            "GET /v1/a%2Cb body=0");

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

    @AfterEach
    void nothingButTheControlsReachedTheUpstream() {
        List<String> received = new ArrayList<>(attack.requests());
        received.removeIf(CONTROLS_RECEIVED::contains);
        received.removeIf("GET /v1/x body=0"::equals); // absolute form: the fragment is never sent
        assertThat(received).as("requests past the deny rule").isEmpty();
    }

    @Test
    void curlInsideTheTlsTunnel() throws Exception {
        List<Spelling> cases =
                Stream.concat(CONTROLS.stream(), SPELLINGS.stream()).toList();
        assertOutcomes(cases, curl(cases, path -> attack.https("full.test", path)));
    }

    @Test
    void curlInAbsoluteFormThroughTheProxy() throws Exception {
        List<Spelling> cases =
                Stream.concat(CONTROLS.stream(), SPELLINGS.stream()).toList();
        assertOutcomes(cases, curl(cases, path -> attack.http("full.test", path)));
    }

    @Test
    void python3RawRequestsInsideTheTlsTunnel() throws Exception {
        List<Spelling> cases =
                Stream.of(CONTROLS, SPELLINGS, TUNNEL_RAW).flatMap(List::stream).toList();
        assertOutcomes(cases, python(cases, "tunnel"));
    }

    @Test
    void python3RawRequestsInAbsoluteForm() throws Exception {
        List<Spelling> cases = Stream.of(
                        CONTROLS,
                        SPELLINGS,
                        List.of(
                                // the proxy drops the fragment of an absolute URL; the rest is what is checked
                                new Spelling("GET", "/v1/x#/../admin", "200 -"),
                                new Spelling("GET", "/v1/\uff41\uff44\uff4d\uff49\uff4e", MALFORMED)))
                .flatMap(List::stream)
                .toList();
        assertOutcomes(cases, python(cases, "forward"));
    }

    @Test
    void methodOverridesAreDecidedAsTheMethodTheyName() throws Exception {
        StringBuilder script = new StringBuilder();
        for (String url : List.of(attack.https("full.test", "/v1/items/1"), attack.http("full.test", "/v1/items/1"))) {
            for (String header : List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override")) {
                script.append("curl -sS -o /dev/null -w '%{http_code}\\n' -X POST -H '")
                        .append(header)
                        .append(": delete' '")
                        .append(url)
                        .append("'\n");
            }
            script.append("curl -sS -o /dev/null -w '%{http_code}\\n' -X POST '")
                    .append(url)
                    .append("?_method=DELETE'\n");
            script.append("curl -sS -o /dev/null -w '%{http_code}\\n' -X POST -H 'X-HTTP-Method-Override: PATCH' '")
                    .append(url)
                    .append("'\n");
        }
        AgentShell.Result r = attack.sh(script.toString());
        assertThat(r.output().split("\n"))
                .containsExactly("403", "403", "403", "403", "200", "403", "403", "403", "403", "200");
    }

    @Test
    void pathOverrideHeadersAreDecidedAsThePathTheyName() throws Exception {
        StringBuilder script = new StringBuilder();
        for (String url : List.of(attack.https("full.test", "/v1/ok"), attack.http("full.test", "/v1/ok"))) {
            for (String header : List.of(
                    "X-Original-URL: /v1/admin",
                    "X-Rewrite-URL: /v1/Admin/users",
                    "X-Original-URL: /v1/x/../admin",
                    "X-Original-URL: /v1/administrator")) {
                script.append("curl -sS -o /dev/null -w '%{http_code}\\n' -H '")
                        .append(header)
                        .append("' '")
                        .append(url)
                        .append("'\n");
            }
        }
        AgentShell.Result r = attack.sh(script.toString());
        assertThat(r.output().split("\n")).containsExactly("403", "403", "403", "200", "403", "403", "403", "200");
    }

    @Test
    void refusalsAndFoldedDenialsAreLoggedWithTheirReason() throws Exception {
        AgentShell.Result r = attack.sh("curl -sS -g --path-as-is '" + attack.https("full.test", "/v1/%2e%2e/x")
                + "'; echo; curl -sS -g --path-as-is '" + attack.https("full.test", "/V1/%61dmin;x=1//users") + "'");
        assertThat(r.output())
                .contains("\"error\":\"ambiguous_path\"", "GET /v1/%2e%2e/x is refused: dot-segment in path")
                .contains("\"error\":\"policy_denied\"", "the path reads as /v1/admin/users");
        // the decision log is written in batches: wait for the second request's record
        await().atMost(Duration.ofSeconds(5)).until(() -> decisionsContain("\"path\":\"/V1/admin;x=1//users\""));
        String decisions = attack.decisions();
        assertThat(decisions)
                .contains("\"rule\":\"limit:ambiguous_path\"", "\"path\":\"/v1/%2e%2e/x\"")
                .contains("\"rule\":\"deny_rules[0]\"", "\"path\":\"/V1/admin;x=1//users\"");
    }

    private static boolean decisionsContain(String text) {
        try {
            return attack.decisions().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    // ---- clients ------------------------------------------------------------------------------

    private static Spelling deny(String target) {
        return new Spelling("GET", target, DENIED);
    }

    private static Spelling ambiguous(String target) {
        return new Spelling("GET", target, AMBIGUOUS);
    }

    /** One curl per case; each prints its body, then a line {@code @@ STATUS}. */
    private static List<String> curl(List<Spelling> cases, java.util.function.UnaryOperator<String> url)
            throws Exception {
        StringBuilder script = new StringBuilder();
        for (Spelling s : cases) {
            script.append("curl -sS -g --path-as-is -X ")
                    .append(s.method())
                    .append(" -w '\\n@@ %{http_code}\\n' '")
                    .append(url.apply(s.target()))
                    .append("'\n");
        }
        AgentShell.Result r = attack.sh(script.toString());
        List<String> outcomes = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String line : r.output().split("\n")) {
            if (line.startsWith("@@ ")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"error\":\"([a-z_]+)\"")
                        .matcher(body);
                outcomes.add(line.substring(3) + " " + (m.find() ? m.group(1) : "-"));
                body.setLength(0);
            } else {
                body.append(line).append('\n');
            }
        }
        assertThat(outcomes).as("curl output:\n%s", r.output()).hasSize(cases.size());
        return outcomes;
    }

    /** One python3 process sending every case on its own connection, byte for byte. */
    private static List<String> python(List<Spelling> cases, String mode) throws Exception {
        StringBuilder list = new StringBuilder();
        for (Spelling s : cases) {
            list.append("    (")
                    .append(bytes(s.method()))
                    .append(", ")
                    .append(bytes(s.target()))
                    .append("),\n");
        }
        String program = PYTHON.replace("CASES_HERE", list.toString())
                .replace("TLS_PORT_HERE", String.valueOf(attack.httpsPort()))
                .replace("PLAIN_PORT_HERE", String.valueOf(attack.httpPort()));
        AgentShell.Result r = attack.sh("cat > spell.py <<'EOF'\n" + program + "EOF\npython3 spell.py " + mode);
        List<String> outcomes = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            if (line.startsWith("@@ ")) {
                outcomes.add(line.substring(3));
            }
        }
        assertThat(outcomes).as("python3 output:\n%s", r.output()).hasSize(cases.size());
        return outcomes;
    }

    private static void assertOutcomes(List<Spelling> cases, List<String> outcomes) {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Spelling s = cases.get(i);
            if (!outcomes.get(i).equals(s.expected())) {
                wrong.add(s.method() + " " + s.target() + ": expected " + s.expected() + ", got " + outcomes.get(i));
            }
        }
        assertThat(wrong).as("spellings answered otherwise than expected").isEmpty();
    }

    /** A Python bytes literal of the UTF-8 encoding of {@code s}. */
    private static String bytes(String s) {
        StringBuilder sb = new StringBuilder("b'");
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int v = b & 0xff;
            if (v >= 0x20 && v < 0x7f && v != '\'' && v != '\\') {
                sb.append((char) v);
            } else {
                sb.append(String.format("\\x%02x", v));
            }
        }
        return sb.append('\'').toString();
    }

    private static final String PYTHON = """
            import os, re, socket, ssl, sys
            from urllib.parse import urlsplit

            HOST = b'full.test'
            TLS_PORT = TLS_PORT_HERE
            PLAIN_PORT = PLAIN_PORT_HERE
            CASES = [
            CASES_HERE]
            MODE = sys.argv[1]
            proxy = urlsplit(os.environ['HTTPS_PROXY' if MODE == 'tunnel' else 'HTTP_PROXY'])

            def read_all(sock):
                data = b''
                while True:
                    try:
                        chunk = sock.recv(65536)
                    except (ConnectionResetError, ssl.SSLError):
                        break
                    if not chunk:
                        break
                    data += chunk
                return data

            def exchange(method, target):
                sock = socket.create_connection((proxy.hostname, proxy.port), timeout=10)
                if MODE == 'tunnel':
                    sock.sendall(b'CONNECT %s:%d HTTP/1.1\\r\\nHost: %s:%d\\r\\n\\r\\n' % (HOST, TLS_PORT, HOST, TLS_PORT))
                    head = b''
                    while not head.endswith(b'\\r\\n\\r\\n'):
                        byte = sock.recv(1)
                        if not byte:
                            return 'connect-closed -'
                        head += byte
                    context = ssl.create_default_context(cafile=os.environ['SSL_CERT_FILE'])
                    sock = context.wrap_socket(sock, server_hostname=HOST.decode())
                    line, port = method + b' ' + target, TLS_PORT
                else:
                    line, port = method + b' http://%s:%d' % (HOST, PLAIN_PORT) + target, PLAIN_PORT
                sock.sendall(line + b' HTTP/1.1\\r\\nHost: %s:%d\\r\\nConnection: close\\r\\n\\r\\n' % (HOST, port))
                response = read_all(sock)
                sock.close()
                status = response.split(b' ', 2)[1].decode() if response.startswith(b'HTTP/') else 'none'
                error = re.search(rb'"error":"([a-z_]+)"', response)
                return status + ' ' + (error.group(1).decode() if error else '-')

            for method, target in CASES:
                print('@@', exchange(method, target), flush=True)
            """;
}
