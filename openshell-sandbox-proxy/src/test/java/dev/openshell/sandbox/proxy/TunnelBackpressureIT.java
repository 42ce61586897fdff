package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tunnel whose client stops reading must stop the proxy from reading the upstream (bounded
 * memory), and once the client reads again every byte must arrive intact, in both directions.
 */
class TunnelBackpressureIT {

    private static final String UPSTREAM_IP = "10.77.3.1";
    // more than kernel buffers absorb, so a writer that is not stopped by backpressure finishes
    private static final int TOTAL = 256 << 20;

    @TempDir
    static Path tmp;

    /**
     * DNS waits here (off the event loop): open except while a test holds a CONNECT's decision back
     * (for a name no earlier test resolved: answers are cached).
     */
    private static volatile CountDownLatch dnsGate = new CountDownLatch(0);

    private static OneUpstream upstream;
    private static EgressProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        upstream = new OneUpstream(UPSTREAM_IP);
        InetAddress address = InetAddress.getByName(UPSTREAM_IP);
        proxy = upstream.start(upstream.proxyConfig("sb-backpressure", tmp.resolve("trust"), "bulk.test", "early.test")
                .hostResolver(host -> {
                    try {
                        dnsGate.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return List.of(address);
                }));
    }

    @AfterAll
    static void stop() throws Exception {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    @Timeout(120)
    void aStalledClientStallsTheUpstreamAndLosesNothing() throws Exception {
        AtomicLong written = new AtomicLong();
        AtomicReference<String> sentDigest = new AtomicReference<>();
        Thread server = Thread.ofPlatform().start(() -> {
            try (Socket s = upstream.socket().accept();
                    OutputStream out = s.getOutputStream()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                writeRandom(out, 7, sha, written);
                sentDigest.set(HexFormat.of().formatHex(sha.digest()));
            } catch (Exception e) {
                sentDigest.set("failed: " + e);
            }
        });
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            client.setReceiveBufferSize(64 * 1024);
            OutputStream out = client.getOutputStream();
            out.write(("CONNECT bulk.test:" + upstream.port() + " HTTP/1.1\r\nHost: bulk.test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            assertThat(RawClient.readHead(in)).startsWith("HTTP/1.1 200");

            // the client does not read: the upstream's writes must stall well short of the total
            awaitStalled(written);
            assertThat(written.get()).as("upstream stalled before the end").isLessThan(TOTAL);
            assertThat(heldByProxy(written.get(), client.getLocalPort()))
                    .as("bytes the proxy holds while the client reads nothing")
                    .isLessThan(1L << 20);

            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long received = 0;
            int n;
            while (received < TOTAL && (n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
                received += n;
            }
            server.join(30_000);
            assertThat(received).isEqualTo(TOTAL);
            assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(sentDigest.get());
        }
    }

    @Test
    @Timeout(120)
    void aStalledUpstreamStallsTheClientAndLosesNothing() throws Exception {
        AtomicReference<String> receivedDigest = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        Thread server = upstreamReader(go, received, receivedDigest);
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = client.getOutputStream();
            out.write(("CONNECT bulk.test:" + upstream.port() + " HTTP/1.1\r\nHost: bulk.test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(RawClient.readHead(client.getInputStream())).startsWith("HTTP/1.1 200");
            AtomicLong written = new AtomicLong();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Thread writer = clientWriter(out, new byte[0], 11, sha, written);
            awaitStalled(written);
            assertThat(written.get()).as("client stalled before the end").isBetween(0L, (long) TOTAL - 1);
            assertThat(heldByProxy(written.get(), client.getLocalPort()))
                    .as("bytes the proxy holds while the upstream reads nothing")
                    .isLessThan(1L << 20);
            go.countDown();
            writer.join(60_000);
            server.join(60_000);
            assertThat(received.get()).isEqualTo(TOTAL);
            assertThat(receivedDigest.get()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
        }
    }

    @Test
    @Timeout(120)
    void bytesSentBehindTheConnectWaitWhileItIsDecidedThenArriveIntact() throws Exception {
        dnsGate = new CountDownLatch(1);
        AtomicReference<String> receivedDigest = new AtomicReference<>();
        AtomicLong received = new AtomicLong();
        Thread server = upstreamReader(new CountDownLatch(0), received, receivedDigest);
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = client.getOutputStream();
            AtomicLong written = new AtomicLong();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] connect = ("CONNECT early.test:" + upstream.port() + " HTTP/1.1\r\nHost: early.test\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            Thread writer = clientWriter(out, connect, 13, sha, written);
            // while the CONNECT is undecided the proxy reads no further than its bounded request
            // decoder: the client's writes stall once the kernel's buffers are full, far short of
            // the total (a proxy that kept reading would let all 256 MiB through into its memory)
            awaitStalled(written);
            assertThat(written.get()).as("client stalled before the end").isBetween(0L, (long) TOTAL - 1);
            assertThat(heldByProxy(written.get(), client.getLocalPort()))
                    .as("bytes the proxy holds while the CONNECT is undecided")
                    .isLessThan(4L << 20);
            dnsGate.countDown();
            assertThat(RawClient.readHead(client.getInputStream())).startsWith("HTTP/1.1 200");
            writer.join(60_000);
            server.join(60_000);
            assertThat(received.get()).isEqualTo(TOTAL);
            assertThat(receivedDigest.get()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
        } finally {
            dnsGate.countDown();
        }
    }

    /**
     * Waits until {@code written} stops growing (or fails, if the writer ends: -1): unchanged over
     * one poll, so a writer that is merely slow is not taken for a stalled one.
     */
    private static void awaitStalled(AtomicLong written) {
        AtomicLong previous = new AtomicLong(-2);
        await("the writer stalls")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    long now = written.get();
                    assertThat(now).as("the writer failed").isNotEqualTo(-1);
                    return previous.getAndSet(now) == now;
                });
    }

    /** Writes {@link #TOTAL} seeded random bytes, digesting and counting them as they go. */
    private static void writeRandom(OutputStream out, long seed, MessageDigest sha, AtomicLong written)
            throws java.io.IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        for (long sent = 0; sent < TOTAL; sent += chunk.length) {
            random.nextBytes(chunk);
            sha.update(chunk);
            out.write(chunk);
            written.addAndGet(chunk.length);
        }
        out.flush();
    }

    /** Sends {@code head} then {@link #TOTAL} random bytes on a thread; {@code written} is -1 on failure. */
    private static Thread clientWriter(
            OutputStream out, byte[] head, long seed, MessageDigest sha, AtomicLong written) {
        return Thread.ofPlatform().start(() -> {
            try {
                out.write(head);
                writeRandom(out, seed, sha, written);
            } catch (Exception e) {
                written.set(-1);
            }
        });
    }

    /**
     * Accepts one upstream connection (small receive buffer), waits for {@code go}, then reads
     * {@link #TOTAL} bytes counting them into {@code received} and leaves their SHA-256 in
     * {@code digest}.
     */
    private static Thread upstreamReader(CountDownLatch go, AtomicLong received, AtomicReference<String> digest) {
        return Thread.ofPlatform().start(() -> {
            try (Socket s = upstream.socket().accept()) {
                s.setReceiveBufferSize(64 * 1024);
                go.await();
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                InputStream in = s.getInputStream();
                byte[] buf = new byte[64 * 1024];
                int n;
                while (received.get() < TOTAL && (n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    received.addAndGet(n);
                }
                digest.set(HexFormat.of().formatHex(sha.digest()));
            } catch (Exception e) {
                digest.set("failed: " + e);
            }
        });
    }

    /**
     * Bytes of {@code written} that sit in the proxy's process: what was written minus what the
     * kernel queues on the way (send and receive queues of every socket of the client's connection
     * and of the upstream port, from {@code ss}). Kernel buffers alone may hold tens of MiB on
     * loopback, so the writer's progress says little; this says what the proxy holds.
     */
    private static long heldByProxy(long written, int clientPort) throws Exception {
        String[] ports = {":" + clientPort, ":" + upstream.port()};
        // The upstream's end of the connection sits in the fake internet's namespace.
        return written
                - queued(List.of("ss", "-tnH", "state", "established"), ports)
                - queued(
                        List.of("ip", "netns", "exec", upstream.namespace(), "ss", "-tnH", "state", "established"),
                        ports);
    }

    /** Send and receive queue bytes of the established sockets {@code ss} lists with one of {@code ports}. */
    private static long queued(List<String> ssCommand, String[] ports) throws Exception {
        Process ss = new ProcessBuilder(ssCommand).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ss.waitFor();
        long queued = 0;
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            for (String port : ports) {
                if (f[2].endsWith(port) || f[3].endsWith(port)) {
                    queued += Long.parseLong(f[0]) + Long.parseLong(f[1]);
                    break;
                }
            }
        }
        return queued;
    }
}
