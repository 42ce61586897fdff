package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.proxy.http.ChunkedBodies;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated chunked bodies through the real proxy to a real server, on the forward proxy
 * and in a plaintext CONNECT tunnel, each followed by a pipelined request. For each, judged by the
 * reference grammar ({@link ChunkedBodies.Reference}): a well-framed body reaches the server with
 * exactly its data and the request behind it is answered on its own; a malformed one gets a 400,
 * both connections close within two seconds, and the server sees neither request. Never a hang,
 * never a request the proxy did not decide.
 */
class ChunkedBodyFuzzIT {

    private static final int CASES = 240;
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3})");

    private static ProxyHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new ProxyHarness();
        h.start("""
                version: 1
                network_policies:
                  api:
                    endpoints:
                      - {host: api.test, port: HTTP_PORT, protocol: rest, access: full, allowed_ips: [10.77.0.0/24]}
                    binaries: [{path: /usr/bin/curl}]
                """, (client, local) -> new CallerIdentity(4242, "/usr/bin/curl", List.of(), ""));
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void everyBodyIsForwardedExactlyAsFramedOrRefusedWithBothSidesClosed() throws Exception {
        Random random = new Random(20261203);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; accepted + refused < CASES; i++) {
            byte[] body = switch (i % 3) {
                case 0 -> ChunkedBodies.randomBytes(random);
                case 1 -> ChunkedBodies.validBody(random);
                default -> ChunkedBodies.mutate(random, ChunkedBodies.validBody(random));
            };
            // odd cases go through a CONNECT tunnel (origin form), even ones to the forward proxy (absolute form)
            String authority = "api.test:" + h.http.port();
            String nextTarget = (i % 2 == 1 ? "" : "http://" + authority) + "/n" + i;
            byte[] next = ("GET " + nextTarget + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            ChunkedBodies.Reference ref = ChunkedBodies.Reference.parse(ChunkedBodies.concat(body, next));
            switch (ref.outcome) {
                case ACCEPTED -> {
                    if (ref.end == body.length) {
                        assertForwarded(i, body, next, ref);
                        accepted++;
                    }
                }
                case REFUSED -> {
                    assertRefused(i, body, next);
                    refused++;
                }
                default -> {} // waits for more bytes: nothing to judge within one exchange
            }
        }
        assertThat(h.http.requests).allMatch(line -> line.matches("(POST /f|GET /n)\\d+ body=\\d+"));
        assertThat(accepted).isGreaterThan(CASES / 5);
        assertThat(refused).isGreaterThan(CASES / 5);
    }

    private static void assertForwarded(int i, byte[] body, byte[] next, ChunkedBodies.Reference ref) throws Exception {
        Exchange x = exchange(i, body, next);
        String what = "case " + i + " " + ChunkedBodies.printable(body);
        assertThat(x.statuses()).as(what).containsExactly("200", "200");
        assertThat(h.http.bodies.get("/f" + i)).as(what).isEqualTo(new String(ref.data, StandardCharsets.ISO_8859_1));
        assertThat(h.http.requests).as(what).contains("GET /n" + i + " body=0");
        assertThat(h.decisions("api.test")).as(what).anyMatch(d -> ("/f" + i).equals(d.path()));
    }

    private static void assertRefused(int i, byte[] body, byte[] next) throws Exception {
        Exchange x = exchange(i, body, next);
        String what = "case " + i + " " + ChunkedBodies.printable(body) + " answered " + x.text;
        assertThat(x.statuses()).as(what).containsExactly("400");
        assertThat(x.closed).as(what + ": closed").isTrue();
        assertThat(x.millis).as(what + ": at once").isLessThan(2000);
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(h.http.open.get())
                        .as(what + ": upstream connection closed")
                        .isZero());
        assertThat(h.http.requests)
                .as(what)
                .noneMatch(l -> l.startsWith("POST /f" + i + " ") || l.startsWith("GET /n" + i + " "));
    }

    private record Exchange(String text, boolean closed, long millis) {
        List<String> statuses() {
            Matcher m = STATUS.matcher(text);
            return m.results().map(r -> r.group(1)).toList();
        }
    }

    /** Odd cases go through a plaintext CONNECT tunnel, even ones to the forward proxy. */
    private static Exchange exchange(int i, byte[] body, byte[] next) throws IOException {
        String authority = "api.test:" + h.http.port();
        try (RawClient c = new RawClient(h.proxy.port())) {
            c.socket.setSoTimeout(5000);
            String target = "/f" + i;
            if (i % 2 == 1) {
                c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
                String established = RawClient.readHead(c.socket.getInputStream());
                assertThat(established).startsWith("HTTP/1.1 200");
            } else {
                target = "http://" + authority + target;
            }
            long start = System.nanoTime();
            c.send(ChunkedBodies.concat(
                    ("POST " + target + " HTTP/1.1\r\nHost: " + authority + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1),
                    body,
                    next));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean closed = readToClose(c.socket.getInputStream(), out);
            return new Exchange(
                    out.toString(StandardCharsets.ISO_8859_1), closed, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static boolean readToClose(InputStream in, ByteArrayOutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset after the answer
        }
    }
}
