package dev.openshell.bench.gateway;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the local driver through the REST API of a running gateway (root; real sandboxes):
 * create→Ready with {@code wait}, the sandbox host's memory with N idle sandboxes, the round trip
 * of a non-streaming exec, policy propagation ({@code policy set} with {@code wait=true}: stored,
 * pushed over the session, loaded by the proxy, acked), and delete. Not a test: it reports.
 *
 * <pre>
 * java -cp openshell-bench/target/benchmarks.jar dev.openshell.bench.gateway.LocalDriverBench \
 *     https://localhost:8443 DATA/tls/client DATA/local [sandboxes=20] [execs=200] [policies=100]
 * </pre>
 */
public final class LocalDriverBench {

    private LocalDriverBench() {}

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        Path bundle = Path.of(args[1]);
        Path hostDir = Path.of(args[2]);
        int sandboxes = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int execs = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        int policies = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        try (GatewayClient gw = GatewayClient.builder(url)
                .sslContext(GatewayRestBench.sslContext(bundle))
                .requestTimeout(Duration.ofSeconds(120))
                .build()) {
            // Warm the host's JVM (class loading, JIT) with a few sandboxes first, as a long-running host is.
            for (int i = 0; i < 3; i++) {
                create(gw, "warm-" + i);
                gw.sandboxes().exec("warm-" + i, ExecRequest.of(List.of("true")), RequestOptions.NONE);
                gw.sandboxes().delete("warm-" + i);
            }
            // The first create started the host (a gateway starts none before it needs one).
            long hostPid =
                    Long.parseLong(Files.readString(hostDir.resolve("host.pid")).strip());
            System.gc();
            Thread.sleep(3000);
            long rss0 = rssKb(hostPid);
            long[] ready = new long[sandboxes];
            for (int i = 0; i < sandboxes; i++) {
                long t0 = System.nanoTime();
                create(gw, "bench-" + i);
                ready[i] = System.nanoTime() - t0;
            }
            report("create -> Ready (wait=true), " + sandboxes + " one after another", ready);
            Thread.sleep(5000); // idle: logs shipped, nothing in flight
            long rssN = rssKb(hostPid);
            System.out.printf(
                    Locale.ROOT,
                    "sandbox host RSS: %d MB with none (warm), %d MB with %d idle sandboxes: %.1f MB per sandbox%n",
                    rss0 / 1024,
                    rssN / 1024,
                    sandboxes,
                    (rssN - rss0) / 1024.0 / sandboxes);

            ExecRequest trueCommand = ExecRequest.of(List.of("true"));
            for (int i = 0; i < 20; i++) {
                gw.sandboxes().exec("bench-0", trueCommand, RequestOptions.NONE);
            }
            long[] exec = new long[execs];
            for (int i = 0; i < execs; i++) {
                long t0 = System.nanoTime();
                var r = gw.sandboxes().exec("bench-" + (i % sandboxes), trueCommand, RequestOptions.NONE);
                exec[i] = System.nanoTime() - t0;
                if (r.exitCode() != 0) {
                    throw new IllegalStateException("exec true exited " + r.exitCode());
                }
            }
            report("exec `true` round trip (non-streaming)", exec);

            long[] propagation = new long[policies];
            for (int i = 0; i < policies; i++) {
                String yaml =
                        "version: 1\nnetwork_policies:\n  p:\n    endpoints:\n      - host: example.com\n        port: "
                                + (1000 + i) + "\n    binaries:\n      - path: /usr/bin/curl\n";
                long t0 = System.nanoTime();
                PolicyRevision r = gw.put(
                        "/api/v1/sandboxes/bench-" + (i % sandboxes) + "/policy?wait=true",
                        new PolicySetRequest(yaml),
                        PolicyRevision.class,
                        RequestOptions.NONE);
                propagation[i] = System.nanoTime() - t0;
                if (!"loaded".equals(r.status().wire())) {
                    throw new IllegalStateException(
                            "revision " + r.number() + " is " + r.status().wire());
                }
            }
            report("policy set -> loaded in the sandbox (wait=true)", propagation);

            long[] delete = new long[sandboxes];
            for (int i = 0; i < sandboxes; i++) {
                long t0 = System.nanoTime();
                gw.sandboxes().delete("bench-" + i);
                delete[i] = System.nanoTime() - t0;
            }
            report("delete (workload torn down, records removed)", delete);
        }
        System.out.println(
                "load average: " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static void create(GatewayClient gw, String name) {
        Sandbox s = gw.sandboxes()
                .create(
                        new SandboxCreateRequest(
                                name, List.of(), Map.of(), Map.of(), null, List.of(), null, null, true),
                        RequestOptions.NONE);
        if (s.phase() != SandboxPhase.READY) {
            throw new IllegalStateException(name + " is " + s.phase().wire() + ": " + s.reason());
        }
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        List<String> parts = new ArrayList<>();
        for (double q : new double[] {0.5, 0.9, 0.99}) {
            long v = sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
            parts.add(String.format(Locale.ROOT, "p%d %.1f ms", (int) (q * 100), v / 1e6));
        }
        System.out.printf(
                Locale.ROOT,
                "%-55s n=%d  %s  min %.1f ms  max %.1f ms%n",
                what,
                nanos.length,
                String.join("  ", parts),
                sorted[0] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }
}
