package dev.openshell.bench.gateway;

import dev.openshell.api.Page;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Measures a running gateway through its REST API, as a client would (mTLS, {@code
 * GatewayClient}): seeds sandbox records, then times {@code list} of all of them in one page and
 * in default pages, then drives an open-loop mix of get and list at a fixed rate and reports
 * latency percentiles measured from each request's scheduled start (so a stall counts against
 * every request it delays). Not a test: it reports, it asserts nothing.
 *
 * <pre>
 * java -cp openshell-bench/target/benchmarks.jar dev.openshell.bench.gateway.GatewayRestBench \
 *     https://localhost:8443 /path/to/data-dir/tls/client [records=1000] [rate=500] [seconds=30]
 * </pre>
 */
public final class GatewayRestBench {

    private static final int CONNECTIONS = 32;

    private GatewayRestBench() {}

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        Path bundle = Path.of(args[1]);
        int records = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 500;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        long gatewayPid = args.length > 5 ? Long.parseLong(args[5]) : -1;
        try (GatewayClient gw = GatewayClient.builder(url)
                .sslContext(sslContext(bundle))
                .requestTimeout(Duration.ofSeconds(30))
                .build()) {
            seed(gw, records);
            warmUp(gw);
            report(
                    "list, all " + records + " records in one page (page_size=1000)",
                    time(300, () -> gw.page("/api/v1/sandboxes", Map.of("page_size", "1000"), null, Sandbox.class)));
            report(
                    "list, first page of 100",
                    time(1000, () -> gw.page("/api/v1/sandboxes", Map.of(), null, Sandbox.class)));
            report(
                    "list, all records through default pages (one stream)",
                    time(50, () -> gw.sandboxes().list(null).count()));
            report("get", time(2000, () -> gw.sandboxes().get("bench-" + (int) (Math.random() * records))));
            long cpuBefore = cpuMillis(gatewayPid);
            openLoop(gw, records, rate, seconds);
            if (gatewayPid > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "gateway CPU during the open loop: %.2f ms per request%n",
                        (cpuMillis(gatewayPid) - cpuBefore) / (double) (rate * seconds));
            }
        }
    }

    private static void seed(GatewayClient gw, int records) throws Exception {
        long existing = gw.sandboxes()
                .list(null)
                .filter(s -> s.name().startsWith("bench-"))
                .count();
        if (existing >= records) {
            System.out.printf(Locale.ROOT, "seed: %d bench records already there%n", existing);
            return;
        }
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < records; i++) {
                String name = "bench-" + i;
                pool.submit(() -> {
                    try {
                        gw.sandboxes()
                                .create(
                                        new SandboxCreateRequest(
                                                name,
                                                List.of("sleep", "infinity"),
                                                Map.of(),
                                                Map.of("bench", "yes", "shard", Integer.toString(name.hashCode() & 7)),
                                                null,
                                                List.of(),
                                                null,
                                                null,
                                                false),
                                        RequestOptions.NONE.withIdempotencyKey("bench-seed-" + name));
                    } catch (RuntimeException e) {
                        if (!e.getMessage().contains("exists")) {
                            System.err.println("seed " + name + ": " + e.getMessage());
                        }
                    }
                });
            }
        }
        System.out.printf(Locale.ROOT, "seed: %d records in %.1f s%n", records, (System.nanoTime() - start) / 1e9);
    }

    private static void warmUp(GatewayClient gw) {
        for (int i = 0; i < 300; i++) {
            gw.page("/api/v1/sandboxes", Map.of("page_size", "1000"), null, Sandbox.class);
            gw.sandboxes().get("bench-0");
        }
    }

    /** User + system CPU time of process {@code pid} in milliseconds, from /proc (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        if (pid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

    private static long[] time(int n, Runnable call) {
        long[] ns = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.run();
            ns[i] = System.nanoTime() - t;
        }
        return ns;
    }

    /** {@code rate} requests a second for {@code seconds}: half get, half list (first page of 100). */
    private static void openLoop(GatewayClient gw, int records, int rate, int seconds) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicLong errors = new AtomicLong();
        // At most this many requests in flight, as a client's connection pool would allow: without
        // a bound, a stall makes the JDK client open a TLS connection per waiting request.
        java.util.concurrent.Semaphore pool = new java.util.concurrent.Semaphore(CONNECTIONS);
        long begin = System.nanoTime() + 100_000_000L;
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long scheduled = begin + i * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int index = i;
                workers.submit(() -> {
                    try {
                        pool.acquireUninterruptibly();
                        if ((index & 1) == 0) {
                            gw.sandboxes().get("bench-" + (index % records));
                        } else {
                            Page<Sandbox> page = gw.page("/api/v1/sandboxes", Map.of(), null, Sandbox.class);
                            if (page.items().isEmpty()) {
                                errors.incrementAndGet();
                            }
                        }
                    } catch (RuntimeException e) {
                        if (errors.incrementAndGet() <= 3) {
                            System.err.println("open loop: " + e);
                        }
                    } finally {
                        pool.release();
                    }
                    latencies[index] = System.nanoTime() - scheduled;
                });
            }
        }
        double achieved = total / ((System.nanoTime() - begin) / 1e9);
        report(
                String.format(
                        Locale.ROOT,
                        "open loop %d req/s for %d s (get + list of 100, %d connections), %.0f req/s, %d errors",
                        rate,
                        seconds,
                        CONNECTIONS,
                        achieved,
                        errors.get()),
                latencies);
    }

    private static void report(String what, long[] ns) {
        long[] sorted = ns.clone();
        Arrays.sort(sorted);
        System.out.printf(
                Locale.ROOT,
                "%-90s n=%6d  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n",
                what,
                sorted.length,
                pct(sorted, 0.50),
                pct(sorted, 0.90),
                pct(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** The CLI's client bundle ({@code ca.crt}, {@code tls.crt}, {@code tls.key}) as a TLS context, with the JDK alone. */
    static SSLContext sslContext(Path dir) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Collection<? extends Certificate> chain;
        try (var in = Files.newInputStream(dir.resolve("tls.crt"))) {
            chain = cf.generateCertificates(in);
        }
        X509Certificate ca;
        try (var in = Files.newInputStream(dir.resolve("ca.crt"))) {
            ca = (X509Certificate) cf.generateCertificate(in);
        }
        PrivateKey key = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(dir.resolve("tls.key")))));
        char[] pass = "bench".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", key, pass, chain.toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pass);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static byte[] pem(String text) throws IOException {
        StringBuilder b64 = new StringBuilder();
        for (String line :
                new java.io.BufferedReader(new StringReader(text)).lines().toList()) {
            if (!line.startsWith("-----")) {
                b64.append(line.strip());
            }
        }
        return Base64.getDecoder().decode(b64.toString());
    }
}
