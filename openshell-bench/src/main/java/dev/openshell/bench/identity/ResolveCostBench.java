package dev.openshell.bench.identity;

import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What one full {@code resolve()} costs with about {@code processes} processes on the machine (200
 * by default, fillers started as needed): with the scan limited to the sandbox's process tree, and
 * over the whole host. A main, run by hand (not a test); it reports and asserts nothing: {@code
 * bench/caller-identity-bench.sh} runs it after {@link CallerIdentityBench}.
 */
public final class ResolveCostBench {

    private ResolveCostBench() {}

    public static void main(String[] args) throws Exception {
        int target = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        List<Process> filler = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            int missing = target - processCount();
            for (int i = 0; i < missing; i++) {
                filler.add(new ProcessBuilder("sleep", "120").start());
            }
            // the client: a shell holding the connection, as an agent's tool would
            Process shell = new ProcessBuilder(
                            "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + "; sleep 120")
                    .start();
            filler.add(shell);
            try (Socket accepted = server.accept()) {
                InetSocketAddress client = (InetSocketAddress) accepted.getRemoteSocketAddress();
                InetSocketAddress proxy = (InetSocketAddress) accepted.getLocalSocketAddress();
                int processes = processCount();
                int self = (int) ProcessHandle.current().pid();
                try (ProcCallerResolver tree = ProcCallerResolver.forNamespaceOf(self, (int) shell.pid());
                        ProcCallerResolver host = ProcCallerResolver.forOwnNamespace()) {
                    report("sandbox tree, " + tree.socketLookup(), processes, measure(tree, client, proxy, rounds));
                    report("whole host,   " + host.socketLookup(), processes, measure(host, client, proxy, 50));
                }
            }
        } finally {
            for (Process p : filler) {
                p.destroyForcibly();
            }
            for (Process p : filler) {
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Wall-clock micros per call, sorted, then CPU micros per call (the machine may be shared). */
    private static long[] measure(
            CallerResolver resolver, InetSocketAddress client, InetSocketAddress proxy, int rounds) {
        for (int i = 0; i < 20; i++) {
            resolver.resolve(client, proxy); // warm up the JIT and the hash cache
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long[] micros = new long[rounds];
        long cpuStart = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            resolver.resolve(client, proxy);
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        long cpuMicros = (mx.getCurrentThreadCpuTime() - cpuStart) / 1000 / rounds;
        Arrays.sort(micros);
        long[] out = Arrays.copyOf(micros, rounds + 1);
        out[rounds] = cpuMicros;
        return out;
    }

    private static void report(String what, int processes, long[] m) {
        long[] wall = Arrays.copyOf(m, m.length - 1);
        System.out.printf(
                "resolve() %s, %d processes: wall p50 %d us, p99 %d us; cpu mean %d us%n",
                what, processes, percentile(wall, 50), percentile(wall, 99), m[m.length - 1]);
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private static int processCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return (int) s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .count();
        }
    }
}
