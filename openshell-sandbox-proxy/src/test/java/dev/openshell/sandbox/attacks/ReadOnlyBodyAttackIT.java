package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Data out through a read-only endpoint in a request body: every method the preset allows (GET,
 * HEAD, OPTIONS) sent with a body, by length or chunked, large or one byte, on every path a request
 * can take (CONNECT tunnel, forward proxy, plaintext tunnel, captured connection, the second
 * request of a kept-alive connection). Each is an L7 403 that says why, and nothing reaches the
 * server.
 */
@SandboxHost
class ReadOnlyBodyAttackIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy() + """
                network_policies:
                  api:
                    endpoints:
                      - {host: ro.test, ports: [HTTP_PORT, HTTPS_PORT], protocol: rest, access: read-only,
                         allowed_ips: [10.95.0.0/24]}
                      - {host: rw.test, port: HTTPS_PORT, protocol: rest, access: read-write,
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
    void curlSendingFiveMegabytesWithAGetOrOptionsIsRefused() throws Exception {
        String url = attack.https("ro.test", "/big");
        AgentShell.Result r = attack.sh("head -c 5000000 /dev/zero > /tmp/big && for m in GET OPTIONS; do"
                + " curl -sS -X $m --data-binary @/tmp/big -w ' %{http_code}\\n' " + url + "; done");

        assertThat(r.output().lines().toList())
                .hasSize(2)
                .allSatisfy(line -> assertThat(line)
                        .contains("\"error\":\"policy_denied\"", "\"layer\":\"l7\"", "request body", "read-only")
                        .endsWith(" 403"));
        assertThat(attack.heads()).noneMatch(h -> h.contains("/big"));
    }

    @Test
    void smallAndChunkedBodiesAreRefusedToo() throws Exception {
        String url = attack.https("ro.test", "/small");
        AgentShell.Result r = attack.sh("curl -sS -X GET -d x -w ' %{http_code}\\n' " + url
                + "; curl -sS -X GET -H 'Transfer-Encoding: chunked' -d x -w ' %{http_code}\\n' " + url
                + "; curl -sS -X GET -H 'Content-Length: 0' -w ' %{http_code}\\n' "
                + attack.https("ro.test", "/empty"));

        List<String> out = r.output().lines().toList();
        assertThat(out).hasSize(4);
        assertThat(out.get(0)).contains("policy_denied", "\"path\":\"/small\"").endsWith(" 403");
        assertThat(out.get(1)).contains("policy_denied", "\"path\":\"/small\"").endsWith(" 403");
        assertThat(out.subList(2, 4)).containsExactly("GET /empty body=0", " 200");
        assertThat(attack.heads()).noneMatch(h -> h.contains("/small"));
    }

    @Test
    void everyTransportAndEveryReadOnlyMethodRefusesABody() throws Exception {
        int sp = attack.httpsPort();
        int hp = attack.httpPort();
        String py = """
                SP, HP = %d, %d
                def req(method, target, host, framing='Content-Length: 4\\r\\n\\r\\ndata'):
                    return f'{method} {target} HTTP/1.1\\r\\nHost: {host}\\r\\n{framing}'
                chunked = 'Transfer-Encoding: chunked\\r\\n\\r\\n4\\r\\ndata\\r\\n0\\r\\n\\r\\n'
                for m in ('GET', 'HEAD', 'OPTIONS'):
                    case(f'tunnel_{m}', tunnel('ro.test', SP), req(m, '/rb', f'ro.test:{SP}'))
                    case(f'tunnel_chunked_{m}', tunnel('ro.test', SP), req(m, '/rb', f'ro.test:{SP}', chunked))
                    case(f'forward_{m}', forward(), req(m, f'http://ro.test:{HP}/rb', f'ro.test:{HP}'))
                    case(f'plain_tunnel_{m}', tunnel('ro.test', HP, secure=False), req(m, '/rb', f'ro.test:{HP}'))
                    case(f'captured_{m}', direct('ro.test', SP), req(m, '/rb', f'ro.test:{SP}'))
                    case(f'captured_plain_{m}', direct('ro.test', HP, secure=False), req(m, '/rb', f'ro.test:{HP}'))
                keep = req('GET', '/rb-first', f'ro.test:{SP}', '\\r\\n') + req('GET', '/rb', f'ro.test:{SP}')
                case('second_request', tunnel('ro.test', SP), keep)
                case('read_write', tunnel('rw.test', SP),
                     req('GET', '/rw', f'rw.test:{SP}', 'Content-Length: 4\\r\\nConnection: close\\r\\n\\r\\ndata'))
                """.formatted(sp, hp);
        Map<String, RawHttp.Outcome> o =
                RawHttp.outcomes(attack.sh(RawHttp.python(py)).output());

        for (String method : new String[] {"GET", "HEAD", "OPTIONS"}) {
            for (String transport : new String[] {
                "tunnel_", "tunnel_chunked_", "forward_", "plain_tunnel_", "captured_", "captured_plain_"
            }) {
                String label = transport + method;
                assertThat(o.get(label)).as(label).isNotNull();
                assertThat(o.get(label).firstStatus()).as(label).isEqualTo("403");
                if (!method.equals("HEAD")) {
                    assertThat(o.get(label).errors()).as(label).containsExactly("policy_denied");
                }
            }
        }
        assertThat(o.get("second_request").statuses()).containsExactly("200", "403");
        assertThat(o.get("read_write").statuses()).as("read-write takes bodies").containsExactly("200");
        assertThat(attack.heads()).noneMatch(h -> h.contains(" /rb "));
        assertThat(attack.requests()).contains("GET /rw body=4", "GET /rb-first body=0");
        assertThat(attack.decisions()).contains("request body");
    }
}
