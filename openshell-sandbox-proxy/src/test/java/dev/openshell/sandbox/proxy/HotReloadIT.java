package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.ProcessPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Policy generations swapped while requests flow through the proxy. */
class HotReloadIT {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    private static final String GEN1 = """
            version: 1
            network_policies:
              keep:
                endpoints: [{host: keep.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}]
                binaries: [{path: JAVA}]
              drop:
                endpoints:
                  - {host: drop.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}
                  - {host: drop.test, port: HTTPS_PORT, allowed_ips: [10.77.0.0/24]}
                binaries: [{path: JAVA}]
            """.replace("JAVA", JAVA);

    private static final String GEN2 = """
            version: 1
            network_policies:
              keep:
                endpoints: [{host: keep.test, port: HTTP_PORT, allowed_ips: [10.77.0.0/24]}]
                binaries: [{path: JAVA}]
            """.replace("JAVA", JAVA);

    private static ProxyHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new ProxyHarness();
        h.start(GEN1);
    }

    @AfterAll
    static void stop() {
        if (h != null) {
            h.close();
        }
    }

    private record Sample(String host, long sentNanos, String status) {}

    @Test
    void swapUnderTrafficDropsNothingStillAllowedAndAdmitsNothingRemoved() throws Exception {
        int port = h.http.port();
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch warm = new CountDownLatch(4);
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                try (RawClient c = new RawClient(h.proxy.port())) {
                    int i = 0;
                    while (running.get()) {
                        String host = i++ % 2 == 0 ? "keep.test" : "drop.test";
                        long sent = System.nanoTime();
                        String r = c.send("GET http://" + host + ":" + port + "/r" + i + " HTTP/1.1\r\nHost: " + host
                                        + "\r\n\r\n")
                                .readResponse();
                        samples.add(new Sample(host, sent, r.length() >= 12 ? r.substring(9, 12) : "EOF"));
                        if (i == 10) {
                            warm.countDown();
                        }
                    }
                } catch (Exception e) {
                    samples.add(new Sample("error", System.nanoTime(), e.toString()));
                }
            }));
        }
        warm.await();
        // A raw tunnel admitted only by the policy about to be removed.
        RawClient tunnel = new RawClient(h.proxy.port());
        tunnel.send("CONNECT drop.test:" + h.https.port() + " HTTP/1.1\r\nHost: drop.test\r\n\r\n");
        assertThat(tunnel.readResponse()).startsWith("HTTP/1.1 200");

        ReloadResult result = h.proxy.replacePolicy(h.compile(GEN2), 2);
        long swapped = System.nanoTime();
        // Traffic goes on after the swap: enough requests of both kinds sent under the new generation.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sentAfter(samples, swapped, "keep.test") >= 20
                        && sentAfter(samples, swapped, "drop.test") >= 20);
        running.set(false);
        for (Thread c : clients) {
            c.join();
        }

        assertThat(result.loaded()).isTrue();
        assertThat(result.closedConnections()).isGreaterThanOrEqualTo(1);
        tunnel.socket.setSoTimeout(2000);
        assertThat(tunnel.socket.getInputStream().read())
                .as("revoked tunnel is closed")
                .isEqualTo(-1);
        tunnel.close();

        List<Sample> all = List.copyOf(samples);
        assertThat(all).noneMatch(s -> s.host().equals("error"));
        assertThat(all)
                .filteredOn(s -> s.host().equals("keep.test"))
                .allMatch(s -> s.status().equals("200"));
        assertThat(all)
                .filteredOn(s -> s.host().equals("drop.test") && s.sentNanos() > swapped)
                .isNotEmpty()
                .allMatch(s -> s.status().equals("403"));
        assertThat(all)
                .filteredOn(s -> s.host().equals("drop.test") && s.sentNanos() < swapped)
                .anyMatch(s -> s.status().equals("200"));
        assertThat(h.log)
                .anyMatch(d -> d.generation() == 2
                        && "drop.test".equals(d.host())
                        && d.verdict().equals("deny"));
    }

    private static long sentAfter(List<Sample> samples, long nanos, String host) {
        return List.copyOf(samples).stream()
                .filter(s -> s.sentNanos() > nanos && s.host().equals(host))
                .count();
    }

    @Test
    void aFailedGenerationLeavesTheOldOneActive() throws Exception {
        long active = h.proxy.activeGeneration();
        ReloadResult stale = h.proxy.replacePolicy(h.compile(GEN1), active);
        assertThat(stale.loaded()).isFalse();
        assertThat(stale.error()).contains("not newer");

        Policy invalid = new Policy(
                1,
                FilesystemPolicy.DEFAULT,
                LandlockPolicy.DEFAULT,
                ProcessPolicy.DEFAULT,
                Map.of(
                        "bad key!",
                        new NetworkPolicy(
                                "bad key!",
                                null,
                                List.of(Endpoint.l4("*", 0)),
                                List.of(new BinaryRef("relative/path")))));
        ReloadResult failed = h.proxy.replacePolicy(invalid, active + 10, PolicyEngine.Options.DEFAULT);
        assertThat(failed.loaded()).isFalse();
        assertThat(failed.error()).isNotBlank();
        assertThat(failed.activeGeneration()).isEqualTo(active);
        assertThat(h.proxy.activeGeneration()).isEqualTo(active);
        try (RawClient c = new RawClient(h.proxy.port())) {
            String r = c.send("GET http://keep.test:" + h.http.port() + "/still HTTP/1.1\r\nHost: keep.test\r\n\r\n")
                    .readResponse();
            assertThat(r).startsWith("HTTP/1.1 200");
        }
    }
}
