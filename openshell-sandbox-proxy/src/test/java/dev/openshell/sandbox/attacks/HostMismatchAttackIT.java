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
 * A request checked for one host but addressed to another: the tunnel (CONNECT authority, SNI of a
 * captured connection) names a host the policy lets write, while the {@code Host} header (or an
 * absolute-form target) names a read-only one served by the same server. The proxy must answer
 * 400 unless the request names exactly the host it was checked for.
 */
@SandboxHost
class HostMismatchAttackIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy() + """
                network_policies:
                  api:
                    endpoints:
                      - {host: full.test, ports: [HTTP_PORT, HTTPS_PORT], protocol: rest, access: full,
                         allowed_ips: [10.95.0.0/24]}
                      - {host: ro.test, ports: [HTTP_PORT, HTTPS_PORT], protocol: rest, access: read-only,
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
    void curlPostingToTheWritableTunnelWithTheReadOnlyHostIsA400() throws Exception {
        int port = attack.httpsPort();
        AgentShell.Result r = attack.sh("curl -sS -w ' %{http_code}' -X POST -d secret -H 'Host: ro.test:" + port + "' "
                + attack.https("full.test", "/curl-mismatch"));

        assertThat(r.output()).contains("\"error\":\"host_mismatch\"").endsWith(" 400");
        assertThat(attack.heads()).noneMatch(h -> h.contains("/curl-mismatch"));
    }

    @Test
    void everySpellingOfAnotherHostInAnInspectedTunnelIsA400() throws Exception {
        int p = attack.httpsPort();
        String py = """
                P, IP = %d, '%s'
                def post(host_lines, target='/t'):
                    return f'POST {target} HTTP/1.1\\r\\n{host_lines}Content-Length: 1\\r\\nConnection: close\\r\\n\\r\\nx'
                def t():
                    return tunnel('full.test', P)
                case('other', t(), post(f'Host: ro.test:{P}\\r\\n'))
                case('other_no_port', t(), post('Host: ro.test\\r\\n'))
                case('other_port', t(), post('Host: full.test:1\\r\\n'))
                case('duplicate_same', t(), post(f'Host: full.test:{P}\\r\\nHost: full.test:{P}\\r\\n'))
                case('duplicate_other', t(), post(f'Host: full.test:{P}\\r\\nHost: ro.test:{P}\\r\\n'))
                case('missing', t(), post(''))
                case('empty', t(), post('Host: \\r\\n'))
                case('userinfo', t(), post(f'Host: user@full.test:{P}\\r\\n'))
                case('userinfo_other', t(), post(f'Host: full.test@ro.test:{P}\\r\\n'))
                case('percent', t(), post(f'Host: full%%2etest:{P}\\r\\n'))
                case('non_ascii', t(), post(f'Host: f\\xfall.test:{P}\\r\\n'))
                case('list', t(), post(f'Host: full.test:{P}, ro.test:{P}\\r\\n'))
                case('space', t(), post(f'Host: full.test ro.test\\r\\n'))
                case('ip', t(), post(f'Host: {IP}:{P}\\r\\n'))
                case('punycode_other', t(), post(f'Host: xn--fll-8ka.test:{P}\\r\\n'))
                case('absolute_other', t(), post(f'Host: full.test:{P}\\r\\n', f'https://ro.test:{P}/t'))
                case('absolute_same', t(), post(f'Host: full.test:{P}\\r\\n', f'https://full.test:{P}/t'))
                case('absolute_userinfo', t(), post(f'Host: full.test:{P}\\r\\n', f'https://full.test@ro.test:{P}/t'))
                case('same', t(), post(f'Host: full.test:{P}\\r\\n', '/same'))
                case('same_no_port', t(), post('Host: full.test\\r\\n', '/same-no-port'))
                case('same_case', t(), post(f'Host: FULL.Test:{P}\\r\\n', '/same-case'))
                case('same_trailing_dot', t(), post(f'Host: full.test.:{P}\\r\\n', '/same-dot'))
                keep = f'GET /first HTTP/1.1\\r\\nHost: full.test:{P}\\r\\n\\r\\n' + post(f'Host: ro.test:{P}\\r\\n', '/second')
                case('keepalive_switch', t(), keep)
                """.formatted(p, attack.upstreamIp());
        Map<String, RawHttp.Outcome> o =
                RawHttp.outcomes(attack.sh(RawHttp.python(py)).output());

        for (String label : new String[] {
            "other",
            "other_no_port",
            "other_port",
            "duplicate_same",
            "duplicate_other",
            "missing",
            "empty",
            "userinfo",
            "userinfo_other",
            "percent",
            "non_ascii",
            "list",
            "space",
            "ip",
            "punycode_other",
            "absolute_other",
            "absolute_same",
            "absolute_userinfo"
        }) {
            assertThat(o.get(label)).as(label).isNotNull();
            assertThat(o.get(label).statuses()).as(label).containsExactly("400");
            assertThat(o.get(label).closed()).as(label).isTrue();
        }
        assertThat(o.get("other").errors()).containsExactly("host_mismatch");
        for (String label : new String[] {"same", "same_no_port", "same_case", "same_trailing_dot"}) {
            assertThat(o.get(label).statuses()).as(label).containsExactly("200");
        }
        assertThat(o.get("keepalive_switch").statuses()).containsExactly("200", "400");
        assertThat(attack.requests())
                .noneMatch(r -> r.startsWith("POST /t ") || r.startsWith("POST /second"))
                .contains("POST /same body=1", "POST /same-no-port body=1", "GET /first body=0");
    }

    @Test
    void plaintextInATunnelAndCapturedConnectionsAreHeldToTheirHostToo() throws Exception {
        int hp = attack.httpPort();
        int sp = attack.httpsPort();
        String py = """
                HP, SP = %d, %d
                def post(host, target):
                    return f'POST {target} HTTP/1.1\\r\\nHost: {host}\\r\\nContent-Length: 1\\r\\n\\r\\nx'
                case('plain_tunnel_other', tunnel('full.test', HP, secure=False), post(f'ro.test:{HP}', '/pt'))
                case('captured_tls_other', direct('full.test', SP), post(f'ro.test:{SP}', '/ct'))
                first = f'GET /cp-first HTTP/1.1\\r\\nHost: full.test:{HP}\\r\\n\\r\\n'
                case('captured_plain_switch', direct('full.test', HP, secure=False), first + post(f'ro.test:{HP}', '/cp'))
                try:
                    s = tunnel('full.test', SP, sni='ro.test', verify=False)
                    case('sni_other', s, post(f'full.test:{SP}', '/sni'))
                except (ssl.SSLError, OSError) as e:
                    print('sni_other - closed 0.00 -')
                """.formatted(hp, sp);
        Map<String, RawHttp.Outcome> o =
                RawHttp.outcomes(attack.sh(RawHttp.python(py)).output());

        assertThat(o.get("plain_tunnel_other").statuses()).containsExactly("400");
        assertThat(o.get("captured_tls_other").statuses()).containsExactly("400");
        assertThat(o.get("captured_plain_switch").statuses()).containsExactly("200", "400");
        assertThat(o.get("sni_other").statuses()).as("SNI naming another host").isEmpty();
        assertThat(o.get("sni_other").closed()).isTrue();
        assertThat(attack.requests())
                .noneMatch(r -> r.startsWith("POST /pt")
                        || r.startsWith("POST /ct")
                        || r.startsWith("POST /cp")
                        || r.startsWith("POST /sni"))
                .contains("GET /cp-first body=0");
    }

    @Test
    void theForwardProxySendsTheHostOfTheUrlItChecked() throws Exception {
        int hp = attack.httpPort();
        String py = """
                HP = %d
                case('forward', forward(), f'POST http://full.test:{HP}/fwd HTTP/1.1\\r\\nHost: ro.test:{HP}\\r\\n'
                     'Content-Length: 1\\r\\nConnection: close\\r\\n\\r\\nx')
                """.formatted(hp);
        Map<String, RawHttp.Outcome> o =
                RawHttp.outcomes(attack.sh(RawHttp.python(py)).output());

        assertThat(o.get("forward").statuses()).containsExactly("200");
        assertThat(attack.heads()).contains("POST /fwd host=full.test:" + hp + " upgrade=null");
    }
}
