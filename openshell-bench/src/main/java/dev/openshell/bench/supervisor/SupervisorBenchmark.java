package dev.openshell.bench.supervisor;

import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.ssh.SandboxSshClient;
import dev.openshell.sandbox.supervisor.SandboxLog;
import dev.openshell.sandbox.supervisor.SandboxSupervisor;
import dev.openshell.sandbox.supervisor.SupervisorOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The supervisor's figures for docs/benchmarks.md; a main, run by hand as root (not a test): see
 * {@code bench/supervisor-bench.sh}. In one JVM it starts N sandboxes one after another, each
 * agent's first instruction printing the wall clock ({@code date +%s%N}), keeps all N running to
 * measure the JVM's resident memory per sandbox, times {@code exec} round trips over SSH, and
 * times the teardown.
 */
public final class SupervisorBenchmark {

    private SupervisorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int execs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        String policy = SandboxSpec.DEFAULT_POLICY;
        SupervisorOptions options = SupervisorOptions.defaults();
        System.gc();
        long rssBefore = rssKb();
        System.out.printf("JVM RSS before any sandbox: %d MB%n", rssBefore / 1024);

        List<SandboxSupervisor> running = new ArrayList<>();
        long[] startMs = new long[count];
        try {
            for (int i = 0; i < count; i++) {
                SandboxSpec spec = SandboxSpec.of(null, List.of("sh", "-c", "date +%s%N; exec sleep 600"))
                        .withPolicyYaml(policy);
                Instant t0 = Instant.now();
                SandboxSupervisor s = SandboxSupervisor.start(spec, options);
                running.add(s);
                long agentNanos = firstStdout(s);
                long t0Nanos = t0.getEpochSecond() * 1_000_000_000L + t0.getNano();
                startMs[i] = (agentNanos - t0Nanos) / 1_000_000;
                System.out.printf(
                        "sandbox %2d %s: run -> first instruction %d ms (%s)%n",
                        i + 1, s.id(), startMs[i], readyBreakdown(s));
            }
            Thread.sleep(2000);
            System.gc();
            long rssAll = rssKb();
            System.out.printf(
                    "JVM RSS with %d sandboxes: %d MB, added per sandbox: %.1f MB (agents' own memory excluded)%n",
                    count, rssAll / 1024, (rssAll - rssBefore) / 1024.0 / count);
            System.out.printf("threads: %d%n", Thread.activeCount());
            System.out.printf("run -> first instruction: %s%n", percentiles(startMs));
            System.out.printf(
                    "run -> first instruction, excluding the first (cold JVM): %s%n",
                    percentiles(Arrays.copyOfRange(startMs, 1, count)));

            SandboxSupervisor first = running.getFirst();
            long[] execMs = new long[execs];
            try (SandboxSshClient client =
                    SandboxSshClient.connect(first.sshEndpoint().orElseThrow())) {
                for (int i = 0; i < execs + 5; i++) {
                    long t = System.nanoTime();
                    int code = client.exec(
                            List.of("true"),
                            InputStream.nullInputStream(),
                            new ByteArrayOutputStream(),
                            new ByteArrayOutputStream());
                    long ms = (System.nanoTime() - t) / 1_000_000;
                    if (code != 0) {
                        throw new IllegalStateException("exec true exited " + code);
                    }
                    if (i >= 5) {
                        execMs[i - 5] = ms; // 5 warm-up rounds
                    }
                }
            }
            System.out.printf("exec round trip (open connection, `true`): %s%n", percentiles(execMs));
        } finally {
            long t = System.nanoTime();
            running.forEach(SandboxSupervisor::close);
            if (!running.isEmpty()) {
                System.out.printf(
                        "teardown: %d ms per sandbox%n", (System.nanoTime() - t) / 1_000_000 / running.size());
            }
        }
    }

    private static long firstStdout(SandboxSupervisor s) throws IOException, InterruptedException {
        Path log = s.stateDir().resolve(SandboxLog.FILE);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                if (line.contains("\"stream\":\"stdout\"")) {
                    return Long.parseLong(line.replaceAll(".*\"text\":\"(\\d+)\".*", "$1"));
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("no output from " + s.id());
    }

    /** The step timings of the ready event: {@code 412 ms: network 180, ...}. */
    private static String readyBreakdown(SandboxSupervisor s) throws IOException {
        return Files.readAllLines(s.stateDir().resolve(SandboxLog.FILE)).stream()
                .filter(l -> l.contains("ready: "))
                .map(l -> l.replaceAll(".*\\((.*)\\).*", "$1"))
                .findFirst()
                .orElse("");
    }

    private static String percentiles(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return "n=%d p50=%d ms p99=%d ms min=%d max=%d"
                .formatted(
                        sorted.length,
                        sorted[(int) Math.floor(0.50 * (sorted.length - 1))],
                        sorted[(int) Math.ceil(0.99 * (sorted.length - 1))],
                        sorted[0],
                        sorted[sorted.length - 1]);
    }

    private static long rssKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                .findFirst()
                .orElse(0);
    }
}
