package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.shared.ProxyLimits;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Connections with no traffic in either direction for the idle timeout are closed; busy ones are not. */
class IdleTimeoutIT {

    private static final String UPSTREAM_IP = "10.77.4.1";
    private static final Duration IDLE = Duration.ofMillis(1500);

    @TempDir
    static Path tmp;

    private static OneUpstream upstream;
    private static EgressProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new OneUpstream(UPSTREAM_IP);
        proxy = upstream.start(upstream.proxyConfig("sb-idle", tmp.resolve("trust"), "echo.test")
                .limits(ProxyLimits.DEFAULT.withIdleTimeout(IDLE)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    @Timeout(30)
    void aQuietTunnelIsClosedAndABusyOneIsNot() throws Exception {
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write(("CONNECT echo.test:" + upstream.port() + " HTTP/1.1\r\nHost: echo.test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try (Socket server = upstream.socket().accept()) {
                assertThat(RawClient.readHead(in)).startsWith("HTTP/1.1 200");
                // busy for three idle periods: a byte each way every 300 ms keeps the tunnel open
                long busyUntil = System.nanoTime() + 3 * IDLE.toNanos();
                long quietSince;
                while (true) {
                    out.write('x');
                    assertThat(server.getInputStream().read()).isEqualTo('x');
                    server.getOutputStream().write('y');
                    assertThat(in.read()).isEqualTo('y');
                    quietSince = System.nanoTime();
                    if (quietSince > busyUntil) {
                        break;
                    }
                    Thread.sleep(300);
                }
                // then quiet: the proxy closes both sides
                assertThat(in.read()).isEqualTo(-1);
                assertThat(server.getInputStream().read()).isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - quietSince))
                        .isGreaterThanOrEqualTo(IDLE.minusMillis(100));
            }
        }
    }

    @Test
    @Timeout(30)
    void aConnectionThatNeverSendsARequestIsClosed() throws Exception {
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            client.getOutputStream().write("CONNECT echo".getBytes(StandardCharsets.US_ASCII));
            long sent = System.nanoTime();
            byte[] answer = client.getInputStream().readAllBytes();
            Duration open = Duration.ofNanos(System.nanoTime() - sent);
            // closed by the idle timeout: not before it, and well before the header timeout (10 s by
            // default) would have closed it
            assertThat(open).isGreaterThanOrEqualTo(IDLE.minusMillis(100)).isLessThan(IDLE.plusSeconds(3));
            assertThat(answer)
                    .as(new String(answer, StandardCharsets.ISO_8859_1))
                    .isEmpty();
        }
    }
}
