package dev.openshell.sandbox.attacks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-made HTTP from inside a sandbox: a {@code python3} prelude for {@link AttackSandbox#sh}
 * scripts that sends exactly the bytes an attack needs, and the parsing of what it prints.
 *
 * <p>Functions the prelude defines (sockets time out after 10 s):
 *
 * <ul>
 *   <li>{@code tunnel(host, port, secure=True, sni=None)}: {@code CONNECT} through {@code
 *       $HTTPS_PROXY}, then TLS (trusting {@code $SSL_CERT_FILE}) unless {@code secure} is false;
 *   <li>{@code forward()}: a plain connection to the proxy, for absolute-form requests;
 *   <li>{@code direct(host, port, secure=True)}: straight to the server, ignoring the proxy (the
 *       sandbox firewall captures it);
 *   <li>{@code case(label, sock, payload, wait=5)}: sends {@code payload} (bytes or str), reads
 *       until the connection closes or {@code wait} seconds pass, and prints one line {@code label
 *       STATUSES closed|open SECONDS ERRORS} (statuses of every response head read, {@code -} for
 *       none; ERRORS the {@code error} fields of JSON bodies).
 * </ul>
 */
final class RawHttp {

    static final String PRELUDE = """
            import os, socket, ssl, sys, time, re, base64, json
            def _proxy():
                u = (os.environ.get('HTTPS_PROXY') or os.environ['https_proxy']).split('://', 1)[-1].rstrip('/')
                h, p = u.rsplit(':', 1)
                return h, int(p)
            def read_head(s):
                head = b''
                while b'\\r\\n\\r\\n' not in head:
                    b = s.recv(1)
                    if not b:
                        break
                    head += b
                return head
            def tls(s, name, verify=True):
                ctx = ssl.create_default_context(cafile=os.environ['SSL_CERT_FILE'])
                if not verify:
                    ctx.check_hostname = False
                    ctx.verify_mode = ssl.CERT_NONE
                return ctx.wrap_socket(s, server_hostname=name)
            def tunnel(host, port, secure=True, sni=None, verify=True):
                s = socket.create_connection(_proxy(), timeout=10)
                s.sendall(f'CONNECT {host}:{port} HTTP/1.1\\r\\nHost: {host}:{port}\\r\\n\\r\\n'.encode())
                head = read_head(s)
                if not head.startswith(b'HTTP/1.1 200'):
                    raise SystemExit('CONNECT refused: ' + head.decode('latin-1'))
                return tls(s, sni or host, verify) if secure else s
            def forward():
                return socket.create_connection(_proxy(), timeout=10)
            def direct(host, port, secure=True):
                s = socket.create_connection((host, port), timeout=10)
                return tls(s, host) if secure else s
            def exchange(s, payload, wait=5):
                if isinstance(payload, str):
                    payload = payload.encode('latin-1')
                start = time.monotonic()
                s.settimeout(wait)
                try:
                    s.sendall(payload)
                except OSError:
                    pass
                data, closed = b'', False
                while True:
                    try:
                        chunk = s.recv(65536)
                    except socket.timeout:
                        break
                    except OSError:
                        closed = True
                        break
                    if not chunk:
                        closed = True
                        break
                    data += chunk
                return data, closed, time.monotonic() - start
            def case(label, s, payload, wait=5):
                try:
                    data, closed, elapsed = exchange(s, payload, wait)
                finally:
                    s.close()
                statuses = re.findall(rb'HTTP/1\\.[01] (\\d{3})', data)
                errors = re.findall(rb'"error":"([a-z_]+)"', data)
                print(label, ','.join(x.decode() for x in statuses) or '-', 'closed' if closed else 'open',
                      '%.2f' % elapsed, ','.join(x.decode() for x in errors) or '-', flush=True)
                return data
            """;

    private RawHttp() {}

    /** A shell script running {@code body} after the prelude with the sandbox's python3. */
    static String python(String body) {
        return "/usr/bin/python3 - <<'PY'\n" + PRELUDE + body.stripIndent() + "\nPY\n";
    }

    /** One printed {@code case} line. */
    record Outcome(String label, List<String> statuses, boolean closed, double seconds, List<String> errors) {

        String firstStatus() {
            return statuses.isEmpty() ? "-" : statuses.getFirst();
        }
    }

    /** The {@code case} lines of a script's output by label; other lines are ignored. */
    static Map<String, Outcome> outcomes(String output) {
        Map<String, Outcome> out = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length != 5 || !(f[2].equals("closed") || f[2].equals("open"))) {
                continue;
            }
            out.put(f[0], new Outcome(f[0], list(f[1]), f[2].equals("closed"), Double.parseDouble(f[3]), list(f[4])));
        }
        return out;
    }

    private static List<String> list(String field) {
        return field.equals("-") ? List.of() : new ArrayList<>(List.of(field.split(",")));
    }
}
