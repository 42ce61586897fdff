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
 * Turning an inspected connection into an uninspected byte relay with a protocol switch: an
 * allowed request asks for {@code Upgrade: h2c} (or any token), the server (too willing, see
 * {@code TestUpstream}) answers {@code 101}, and from then on nothing would be checked. Only a
 * validated WebSocket handshake may switch; every other upgrade is stripped or refused, and a
 * {@code 101} nobody validated closes the connection.
 */
@SandboxHost
class UpgradeAttackIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy() + """
                network_policies:
                  api:
                    endpoints:
                      - {host: api.test, ports: [HTTP_PORT, HTTPS_PORT], protocol: rest, access: full,
                         allowed_ips: [10.95.0.0/24]}
                      - {host: ws.test, port: HTTPS_PORT, protocol: rest, access: read-only,
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

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    @Test
    void upgradesOtherThanWebSocketAreStrippedAndTheConnectionStaysInspected() throws Exception {
        int sp = attack.httpsPort();
        int hp = attack.httpPort();
        String py = """
                SP, HP = %d, %d
                def up(target, host, extra):
                    return (f'GET {target} HTTP/1.1\\r\\nHost: {host}\\r\\n{extra}\\r\\n'
                            'RAWDATA\\r\\n\\r\\n')
                h2c = 'Connection: Upgrade, HTTP2-Settings\\r\\nUpgrade: h2c\\r\\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\\r\\n'
                case('h2c_tunnel', tunnel('api.test', SP), up('/upgrade-h2c', f'api.test:{SP}', h2c))
                case('foo_tunnel', tunnel('api.test', SP), up('/upgrade-foo', f'api.test:{SP}',
                     'Connection: upgrade\\r\\nUpgrade: foo/1\\r\\n'))
                case('tls_token', tunnel('api.test', SP), up('/upgrade-tls', f'api.test:{SP}',
                     'Connection: upgrade\\r\\nUpgrade: TLS/1.2, HTTP/1.1\\r\\n'))
                case('no_connection_token', tunnel('api.test', SP), up('/upgrade-noconn', f'api.test:{SP}',
                     'Upgrade: h2c\\r\\n'))
                case('h2c_forward', forward(), up(f'http://api.test:{HP}/upgrade-fwd', f'api.test:{HP}', h2c))
                case('h2c_plain_tunnel', tunnel('api.test', HP, secure=False), up('/upgrade-plain', f'api.test:{HP}', h2c))
                case('h2c_captured', direct('api.test', SP), up('/upgrade-captured', f'api.test:{SP}', h2c))
                """.formatted(sp, hp);
        Map<String, RawHttp.Outcome> o =
                RawHttp.outcomes(attack.sh(RawHttp.python(py)).output());

        for (String label : new String[] {
            "h2c_tunnel",
            "foo_tunnel",
            "tls_token",
            "no_connection_token",
            "h2c_forward",
            "h2c_plain_tunnel",
            "h2c_captured"
        }) {
            assertThat(o.get(label)).as(label).isNotNull();
            // the request went on as plain HTTP/1.1; the bytes behind it are the next (bad) request
            assertThat(o.get(label).statuses()).as(label).containsExactly("200", "400");
            assertThat(o.get(label).closed()).as(label).isTrue();
        }
        assertThat(attack.heads())
                .filteredOn(h -> h.contains("/upgrade-"))
                .hasSize(7)
                .allMatch(h -> h.endsWith("upgrade=null"));
        assertThat(attack.requests()).noneMatch(r -> r.startsWith("RAW"));
    }

    @Test
    void curlAskingForH2cOnPlainHttpGetsHttp11() throws Exception {
        AgentShell.Result r =
                attack.sh("curl -sS --http2 -w ' %{http_version}' " + attack.http("api.test", "/upgrade_curl"));

        assertThat(r.output()).isEqualTo("GET /upgrade_curl body=0\n 1.1");
    }

    @Test
    void malformedWebSocketHandshakesAndUpgradesOnOtherMethodsAreRefused() throws Exception {
        int sp = attack.httpsPort();
        String py = """
                SP, KEY = %d, '%s'
                def ws(method='GET', key=KEY, version='13', upgrade='websocket', connection='Upgrade', proto='HTTP/1.1',
                       target='/ws'):
                    lines = [f'{method} {target} {proto}', f'Host: ws.test:{SP}']
                    if upgrade is not None: lines.append(f'Upgrade: {upgrade}')
                    if connection is not None: lines.append(f'Connection: {connection}')
                    if key is not None: lines.append(f'Sec-WebSocket-Key: {key}')
                    if version is not None: lines.append(f'Sec-WebSocket-Version: {version}')
                    return '\\r\\n'.join(lines) + '\\r\\n\\r\\n'
                def t():
                    return tunnel('ws.test', SP)
                case('post', tunnel('api.test', SP), ws(method='POST').replace('ws.test', 'api.test'))
                case('bad_key', t(), ws(key='abc'))
                case('short_key', t(), ws(key=base64.b64encode(b'x' * 15).decode()))
                case('long_key', t(), ws(key=base64.b64encode(b'x' * 17).decode()))
                case('no_key', t(), ws(key=None))
                case('two_keys', t(), ws(key=KEY + '\\r\\nSec-WebSocket-Key: ' + KEY))
                case('version_8', t(), ws(version='8'))
                case('no_version', t(), ws(version=None))
                case('no_connection_upgrade', t(), ws(connection='keep-alive'))
                case('upgrade_list', t(), ws(upgrade='websocket, h2c'))
                case('http10', t(), ws(proto='HTTP/1.0'))
                case('with_body', t(), ws().replace('\\r\\n\\r\\n', '\\r\\nContent-Length: 3\\r\\n\\r\\nabc'))
                case('connect_inside', t(), f'CONNECT api.test:{SP} HTTP/1.1\\r\\nHost: api.test:{SP}\\r\\n\\r\\n')
                case('h2_preface', t(), 'PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n')
                """.formatted(sp, KEY);
        Map<String, RawHttp.Outcome> o =
                RawHttp.outcomes(attack.sh(RawHttp.python(py)).output());

        for (String label : new String[] {
            "post",
            "bad_key",
            "short_key",
            "long_key",
            "no_key",
            "two_keys",
            "version_8",
            "no_version",
            "no_connection_upgrade",
            "upgrade_list",
            "http10",
            "with_body",
            "connect_inside"
        }) {
            assertThat(o.get(label)).as(label).isNotNull();
            assertThat(o.get(label).statuses()).as(label).containsExactly("400");
            assertThat(o.get(label).closed()).as(label).isTrue();
        }
        assertThat(o.get("h2_preface").statuses()).containsExactly("505");
        assertThat(attack.heads()).noneMatch(h -> h.startsWith("POST /ws") || h.contains("upgrade=websocket, h2c"));
        assertThat(attack.requests()).noneMatch(r -> r.startsWith("RAW"));
    }

    @Test
    void aSwitchTheClientDidNotValidlyAskForClosesTheConnection() throws Exception {
        int sp = attack.httpsPort();
        String py = """
                SP, KEY = %d, '%s'
                ws = (f'GET /ws-badaccept HTTP/1.1\\r\\nHost: ws.test:{SP}\\r\\nUpgrade: websocket\\r\\n'
                      f'Connection: Upgrade\\r\\nSec-WebSocket-Key: {KEY}\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n')
                case('bad_accept', tunnel('ws.test', SP), ws + 'RAWDATA')
                case('unsolicited', tunnel('api.test', SP),
                     f'GET /unsolicited101 HTTP/1.1\\r\\nHost: api.test:{SP}\\r\\n\\r\\nRAWDATA')
                """.formatted(sp, KEY);
        Map<String, RawHttp.Outcome> o =
                RawHttp.outcomes(attack.sh(RawHttp.python(py)).output());

        for (String label : new String[] {"bad_accept", "unsolicited"}) {
            assertThat(o.get(label)).as(label).isNotNull();
            assertThat(o.get(label).statuses()).as(label).containsExactly("502");
            assertThat(o.get(label).errors()).as(label).containsExactly("bad_upgrade_response");
            assertThat(o.get(label).closed()).as(label).isTrue();
        }
        assertThat(attack.requests()).noneMatch(r -> r.startsWith("RAW"));
    }

    @Test
    void aValidWebSocketHandshakeIsStillRelayed() throws Exception {
        int sp = attack.httpsPort();
        String py = """
                import hashlib
                SP = %d
                key = base64.b64encode(os.urandom(16)).decode()
                s = tunnel('ws.test', SP)
                s.sendall((f'GET /ws HTTP/1.1\\r\\nHost: ws.test:{SP}\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n'
                           f'Sec-WebSocket-Key: {key}\\r\\nSec-WebSocket-Version: 13\\r\\n\\r\\n').encode())
                head = read_head(s).decode()
                expected = base64.b64encode(hashlib.sha1((key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').encode()).digest()).decode()
                print(head.split('\\r\\n')[0], 'accept-ok' if expected in head else 'accept-wrong')
                payload, mask = b'hello', os.urandom(4)
                s.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i %% 4] for i, b in enumerate(payload)))
                frame = s.recv(4096)
                print(frame[2:2 + frame[1]].decode())
                """.formatted(sp);
        AgentShell.Result r = attack.sh(RawHttp.python(py));

        assertThat(r.output()).isEqualTo("HTTP/1.1 101 Switching Protocols accept-ok\necho:hello\n");
    }
}
