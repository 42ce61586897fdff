package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.api.Test;

/**
 * Measures one {@code resolve()} with about 200 processes on the machine: a whole-host scan and a
 * scan limited to the sandbox's process tree. Prints the figures; asserts only a loose bound.
 */
class ResolveCostIT {

    private static final int TARGET_PROCESSES = 200;
    private static final int ROUNDS = 500;

    @Test
    void printsTheCostOfOneResolve() throws Exception {
        List<Process> filler = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            int missing = TARGET_PROCESSES - processCount();
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

                long[] host = measure(ProcCallerResolver.forOwnNamespace(), client, proxy);
                int self = (int) ProcessHandle.current().pid();
                long[] tree = measure(ProcCallerResolver.forNamespaceOf(self, (int) shell.pid()), client, proxy);

                System.out.printf(
                        "resolve() with %d processes: whole host p50 %d us, p99 %d us; sandbox tree p50 %d us, p99 %d us%n",
                        processes, pct(host, 50), pct(host, 99), pct(tree, 50), pct(tree, 99));
                assertThat(pct(tree, 50)).isLessThan(20_000);
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

    private static long[] measure(CallerResolver resolver, InetSocketAddress client, InetSocketAddress proxy) {
        for (int i = 0; i < 50; i++) {
            resolver.resolve(client, proxy); // warm up the JIT and the hash cache
        }
        long[] micros = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            resolver.resolve(client, proxy);
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        return micros;
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private static int processCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return (int) s.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .count();
        }
    }
}
