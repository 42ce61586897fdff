package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request bodies whose framing is malformed or ambiguous: the proxy must answer 400 and close both
 * connections at once, never hold them, never pass a reinterpreted body on, and never let bytes of
 * a broken body become a second request. Sent by python3 inside the sandbox through a CONNECT
 * tunnel (TLS terminated), as an absolute-form request to the proxy, and on a connection that
 * ignored the proxy (captured).
 */
@SandboxHost
class ChunkedFramingAttackIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy() + """
                network_policies:
                  api:
                    endpoints:
                      - {host: api.test, ports: [HTTP_PORT, HTTPS_PORT], protocol: rest, access: full,
                         allowed_ips: [10.95.0.0/24]}
                    binaries: [{path: /usr/bin/python3}]
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
    }

    /** Chunked bodies (after a {@code Transfer-Encoding: chunked} head) that must be refused. */
    private static final Map<String, String> BAD_CHUNKED = new LinkedHashMap<>();

    /** Heads with a Content-Length that must be refused. */
    private static final Map<String, String> BAD_LENGTH = new LinkedHashMap<>();

    static {
        BAD_CHUNKED.put("size_overflow", "FFFFFFFFFFFFFFFFFFFF\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("size_over_int", "80000000\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("bare_lf_size", "5\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("bare_lf_after_data", "5\\r\\nhello\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("bare_lf_last", "5\\r\\nhello\\r\\n0\\n\\r\\n");
        BAD_CHUNKED.put("bare_cr_size", "5\\rhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("invalid_hex", "xyz\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("plus_sign", "+5\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("minus_sign", "-5\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("hex_prefix", "0x5\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("leading_space", " 5\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("empty_size", "\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("long_size_line", "5;" + "a".repeat(20000) + "\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("ext_control_char", "5;a=\\x01\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("ext_unterminated_quote", "5;a=\\\"x\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("ext_no_name", "5;=x\\r\\nhello\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("missing_crlf_after_data", "5\\r\\nhelloXX0\\r\\n\\r\\n");
        BAD_CHUNKED.put("data_longer_than_size", "5\\r\\nhello world\\r\\n0\\r\\n\\r\\n");
        BAD_CHUNKED.put("trailer_content_length", "0\\r\\nContent-Length: 5\\r\\n\\r\\nhello");
        BAD_CHUNKED.put("trailer_transfer_encoding", "0\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n");
        BAD_CHUNKED.put("trailer_host", "0\\r\\nHost: other.test\\r\\n\\r\\n");
        BAD_CHUNKED.put("trailer_authorization", "0\\r\\nAuthorization: Bearer x\\r\\n\\r\\n");
        BAD_CHUNKED.put("trailer_folded", "0\\r\\nX-A: 1\\r\\n b\\r\\n\\r\\n");
        BAD_CHUNKED.put("trailer_bare_lf", "0\\r\\nX-A: 1\\n\\r\\n");
        BAD_CHUNKED.put("trailer_no_colon", "0\\r\\nX-A\\r\\n\\r\\n");
        BAD_LENGTH.put("cl_negative", "-1");
        BAD_LENGTH.put("cl_huge", "99999999999999999999");
        BAD_LENGTH.put("cl_plus", "+5");
        BAD_LENGTH.put("cl_hex", "0x5");
        BAD_LENGTH.put("cl_space_inside", "1 0");
    }

    private static String cases(String transport, String hostPort, String target) {
        StringBuilder py = new StringBuilder();
        String head = "POST " + target + " HTTP/1.1\\r\\nHost: " + hostPort + "\\r\\n";
        BAD_CHUNKED.forEach((label, body) -> py.append("case('")
                .append(transport)
                .append('.')
                .append(label)
                .append("', ")
                .append(connection(transport))
                .append(", '")
                .append(head)
                .append("Transfer-Encoding: chunked\\r\\n\\r\\n")
                .append(body)
                .append("', 4)\n"));
        BAD_LENGTH.forEach((label, length) -> py.append("case('")
                .append(transport)
                .append('.')
                .append(label)
                .append("', ")
                .append(connection(transport))
                .append(", '")
                .append(head)
                .append("Content-Length: ")
                .append(length)
                .append("\\r\\n\\r\\nhello', 4)\n"));
        // what must keep working: a plain chunked body, with an extension and with a harmless trailer
        String ok = head + "Transfer-Encoding: chunked\\r\\nConnection: close\\r\\n\\r\\n";
        py.append("case('" + transport + ".ok_plain', " + connection(transport) + ", '" + ok
                + "5\\r\\nhello\\r\\n6\\r\\n world\\r\\n0\\r\\n\\r\\n', 4)\n");
        py.append("case('" + transport + ".ok_extension', " + connection(transport) + ", '" + ok
                + "5;name=value;q=\"a b\"\\r\\nhello\\r\\n0\\r\\n\\r\\n', 4)\n");
        py.append("case('" + transport + ".ok_trailer', " + connection(transport) + ", '" + ok
                + "5\\r\\nhello\\r\\n0\\r\\nX-Checksum: abc\\r\\n\\r\\n', 4)\n");
        return py.toString();
    }

    private static String connection(String transport) {
        return switch (transport) {
            case "tunnel" -> "tunnel('api.test', " + attack.httpsPort() + ")";
            case "forward" -> "forward()";
            case "captured" -> "direct('api.test', " + attack.httpsPort() + ")";
            default -> throw new IllegalArgumentException(transport);
        };
    }

    private static void assertRefusedAtOnce(Map<String, RawHttp.Outcome> outcomes, String transport) {
        for (String label : BAD_CHUNKED.keySet()) {
            assertRefused(outcomes, transport + "." + label);
        }
        for (String label : BAD_LENGTH.keySet()) {
            assertRefused(outcomes, transport + "." + label);
        }
        for (String ok : new String[] {"ok_plain", "ok_extension", "ok_trailer"}) {
            RawHttp.Outcome o = outcomes.get(transport + "." + ok);
            assertThat(o).as(transport + "." + ok).isNotNull();
            assertThat(o.statuses()).as(transport + "." + ok).containsExactly("200");
        }
    }

    private static void assertRefused(Map<String, RawHttp.Outcome> outcomes, String label) {
        RawHttp.Outcome o = outcomes.get(label);
        assertThat(o).as(label).isNotNull();
        assertThat(o.statuses()).as(label + ": one 400, nothing else").containsExactly("400");
        assertThat(o.closed()).as(label + ": closed").isTrue();
        assertThat(o.seconds()).as(label + ": at once").isLessThan(2.0);
    }

    private static Map<String, RawHttp.Outcome> run(String transport, String hostPort, String target) throws Exception {
        var result = attack.sh(RawHttp.python(cases(transport, hostPort, target)));
        Map<String, RawHttp.Outcome> outcomes = RawHttp.outcomes(result.output());
        assertThat(outcomes).as(result.output()).hasSize(BAD_CHUNKED.size() + BAD_LENGTH.size() + 3);
        return outcomes;
    }

    private static void assertNothingBrokenReachedTheServer(String target) {
        // Only the three well-framed bodies arrive, each exactly as framed; no second request
        // was carved out of a broken body, and no upstream connection is left open.
        assertThat(attack.requests().stream().filter(r -> r.contains(target)))
                .containsExactlyInAnyOrder(
                        "POST " + target + " body=11", "POST " + target + " body=5", "POST " + target + " body=5");
        assertThat(attack.requests()).noneMatch(r -> r.startsWith("GET") || r.startsWith("RAW"));
        await().atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(attack.openUpstreamConnections())
                        .as("upstream connections left open")
                        .isZero());
    }

    @Test
    void inAnInspectedTunnelBrokenFramingIsA400AndBothSidesClose() throws Exception {
        var outcomes = run("tunnel", "api.test:" + attack.httpsPort(), "/tunnel");
        assertRefusedAtOnce(outcomes, "tunnel");
        assertNothingBrokenReachedTheServer("/tunnel");
    }

    @Test
    void onTheForwardProxyBrokenFramingIsA400AndBothSidesClose() throws Exception {
        String hostPort = "api.test:" + attack.httpPort();
        var outcomes = run("forward", hostPort, "http://" + hostPort + "/forward");
        assertRefusedAtOnce(outcomes, "forward");
        assertNothingBrokenReachedTheServer("/forward");
    }

    @Test
    void onACapturedConnectionBrokenFramingIsA400AndBothSidesClose() throws Exception {
        var outcomes = run("captured", "api.test:" + attack.httpsPort(), "/captured");
        assertRefusedAtOnce(outcomes, "captured");
        assertNothingBrokenReachedTheServer("/captured");
    }

    @Test
    void theSandboxLogNamesTheProgramAndTheHostOfAFramingError() throws Exception {
        attack.sh(RawHttp.python("case('named', tunnel('api.test', " + attack.httpsPort()
                + "), 'POST /named HTTP/1.1\\r\\nHost: api.test:" + attack.httpsPort()
                + "\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n', 4)"));
        String line = "denied: /usr/bin/python3[.0-9]* -> api.test:" + attack.httpsPort() + " POST /named \\(.*chunk";
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(attack.log()).containsPattern(line).doesNotContain("unknown program -> null:0"));
    }
}
