package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data out of a read-only endpoint without a body: in the URL, the query, or the headers of an
 * allowed GET. An endpoint's {@code request_limits} bound each; a request over a bound is an L7
 * 403 naming the limit, on every path a request can take, and a request at the bound passes.
 */
@SandboxHost
class RequestLimitsAttackIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy() + """
                network_policies:
                  api:
                    endpoints:
                      - host: api.test
                        ports: [HTTP_PORT, HTTPS_PORT]
                        protocol: rest
                        access: read-only
                        request_limits: {max_url_bytes: 256, max_query_bytes: 64, max_header_bytes: 1024}
                        allowed_ips: [10.95.0.0/24]
                      - {host: ro.test, port: HTTPS_PORT, protocol: rest, access: read-only,
                         allowed_ips: [10.95.0.0/24]}
                    binaries: [{path: /usr/bin/curl}, {path: /usr/bin/python3}]
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
    }

    @Test
    void curlCarryingDataInAHeaderIsRefusedNamingTheLimit() throws Exception {
        AgentShell.Result r = attack.sh("curl -sS -w ' %{http_code}' -H \"X-Exfil: $(head -c 2000 /dev/zero | tr"
                + " '\\0' a)\" " + attack.https("api.test", "/hdr"));

        assertThat(r.output())
                .contains("\"error\":\"policy_denied\"", "\"rule\":\"request_limits.max_header_bytes\"", "1024")
                .endsWith(" 403");
        assertThat(attack.heads()).noneMatch(h -> h.contains("/hdr"));
    }

    @Test
    void urlQueryAndHeaderBytesAreBoundedOnEveryTransport() throws Exception {
        int sp = attack.httpsPort();
        int hp = attack.httpPort();
        String py = """
                SP, HP = %d, %d
                def get(target, host, headers=''):
                    return f'GET {target} HTTP/1.1\\r\\nHost: {host}\\r\\n{headers}Connection: close\\r\\n\\r\\n'
                def check(label, s, payload):
                    data = case(label, s, payload)
                    m = re.search(rb'"rule":"([^"]+)"', data)
                    print('rule', label, m.group(1).decode() if m else '-')
                h = f'api.test:{SP}'
                check('url_over', tunnel('api.test', SP), get('/u' + 'a' * 300, h))
                check('url_at', tunnel('api.test', SP), get('/' + 'a' * 255, h))
                check('query_over', tunnel('api.test', SP), get('/q?d=' + 'a' * 70, h))
                check('query_at', tunnel('api.test', SP), get('/q?d=' + 'a' * 62, h))
                check('header_over', tunnel('api.test', SP), get('/h', h, 'X-Data: ' + 'a' * 1100 + '\\r\\n'))
                check('many_headers', tunnel('api.test', SP), get('/h', h, ''.join(f'X-{i}: {"a" * 30}\\r\\n' for i in range(40))))
                check('cookie', tunnel('api.test', SP), get('/h', h, 'Cookie: s=' + 'a' * 1100 + '\\r\\n'))
                check('header_under', tunnel('api.test', SP), get('/h-under', h, 'X-Data: ' + 'a' * 600 + '\\r\\n'))
                check('forward_query', forward(), get(f'http://api.test:{HP}/q?d=' + 'a' * 70, f'api.test:{HP}'))
                check('captured_header', direct('api.test', SP), get('/h', h, 'X-Data: ' + 'a' * 1100 + '\\r\\n'))
                check('captured_plain_url', direct('api.test', HP, secure=False), get('/u' + 'a' * 300, f'api.test:{HP}'))
                check('unlimited', tunnel('ro.test', SP), get('/q?d=' + 'a' * 4000, f'ro.test:{SP}'))
                """.formatted(sp, hp);
        String out = attack.sh(RawHttp.python(py)).output();
        Map<String, RawHttp.Outcome> o = RawHttp.outcomes(out);

        Map<String, String> expectedRule = Map.of(
                "url_over", "request_limits.max_url_bytes",
                "query_over", "request_limits.max_query_bytes",
                "header_over", "request_limits.max_header_bytes",
                "many_headers", "request_limits.max_header_bytes",
                "cookie", "request_limits.max_header_bytes",
                "forward_query", "request_limits.max_query_bytes",
                "captured_header", "request_limits.max_header_bytes",
                "captured_plain_url", "request_limits.max_url_bytes");
        expectedRule.forEach((label, rule) -> {
            assertThat(o.get(label)).as(label).isNotNull();
            assertThat(o.get(label).statuses()).as(label).containsExactly("403");
            assertThat(o.get(label).errors()).as(label).containsExactly("policy_denied");
            assertThat(out).as(label).contains("rule " + label + " " + rule + "\n");
        });
        for (String label : new String[] {"url_at", "query_at", "header_under", "unlimited"}) {
            assertThat(o.get(label).statuses()).as(label).containsExactly("200");
        }
        assertThat(attack.heads()).noneMatch(h -> h.contains("/u" + "a".repeat(300)) || h.contains("/h "));
    }
}
