package dev.openshell.bench.identity;

import dev.openshell.sandbox.proxy.identity.BinaryTrust;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import dev.openshell.sandbox.proxy.shared.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What caller identity costs, in two settings (figures in docs/benchmarks.md):
 *
 * <ul>
 *   <li><b>churn</b>, like the proxy benchmark's rate test: one python3 process with {@value
 *       #WORKERS} asyncio workers opens and closes connections as fast as it can; a Netty server
 *       (two event loops, as the proxy) resolves each accepted connection on its event loop when
 *       that is cheap and on a virtual thread otherwise, and tells the resolver when a connection
 *       closes. This JVM roots the tree, so each identity carries one ancestor (java).
 *   <li><b>steady</b>: {@code resolveQuickly} again and again on one open connection of a bash
 *       client (waiting in its {@code read} builtin, so it never execs) that roots its own tree
 *       (no ancestors): the cost of one resolution with nothing to guess.
 * </ul>
 *
 * <p>A main, run by hand (not a test): {@code bench/caller-identity-bench.sh [warm-up] [measured]
 * [steady calls]}; it reports and asserts nothing. {@code CallerChurnIT} in {@code
 * openshell-sandbox-proxy} drives the same churn and asserts that every identity is right.
 */
public final class CallerIdentityBench {

    static final int WORKERS = 16;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CallerIdentityBench() {}

    /**
     * One churn run's figures.
     *
     * @param stats the resolver's counters over the measured connections
     * @param quickWallMicros mean wall time of a {@code resolveQuickly} call on the event loop
     * @param quickCpuMicros mean CPU time of a {@code resolveQuickly} call on the event loop
     * @param cpuMicrosPerResolve CPU time of all resolution calls (quick and slow) per connection
     * @param failures connections resolved wrongly or not at all
     */
    record Churn(
            ProcCallerResolver.Stats stats,
            long quick,
            long slow,
            double quickWallMicros,
            double quickCpuMicros,
            double cpuMicrosPerResolve,
            List<String> failures) {

        String describe() {
            return String.format(
                    "churn: %d connections, %d workers: %.2f fd probes, %.2f procfs calls per resolve;"
                            + " %d quick, %d slow (%d tree scans); resolveQuickly %.1f us wall, %.1f us cpu;"
                            + " %.1f us cpu per resolve over all paths",
                    stats.resolves(),
                    WORKERS,
                    (double) stats.fdProbes() / stats.resolves(),
                    (double) stats.procCalls() / stats.resolves(),
                    quick,
                    slow,
                    stats.scans(),
                    quickWallMicros,
                    quickCpuMicros,
                    cpuMicrosPerResolve);
        }
    }

    public static void main(String[] args) throws Exception {
        int warmUp = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int steadyCalls = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        Churn churn = churn(warmUp, measured);
        System.out.println(churn.describe() + (churn.failures().isEmpty() ? "" : "; FAILURES " + churn.failures()));
        double[] steady = steady(steadyCalls);
        System.out.printf("steady: resolveQuickly %.1f us wall, %.1f us cpu per call%n", steady[0], steady[1]);
    }

    /** Resolves {@code warmUp} connections, then measures {@code measured} more from a new client process. */
    static Churn churn(int warmUp, int measured) throws Exception {
        Path dir = Files.createTempDirectory("identity-churn");
        Path script = dir.resolve("churn_client.py");
        try (InputStream in = CallerIdentityBench.class.getResourceAsStream("/identity/churn_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        int self = (int) ProcessHandle.current().pid();
        String python = python();
        try (ProcCallerResolver resolver = new ProcCallerResolver(
                        Path.of("/proc"), OptionalInt.empty(), OptionalInt.of(self), new BinaryTrust());
                Server server = new Server(resolver)) {
            run(server, python, script, warmUp);
            server.reset();
            ProcCallerResolver.Stats before = resolver.stats();
            run(server, python, script, measured);
            return new Churn(
                    resolver.stats().minus(before),
                    server.quick.sum(),
                    server.slow.sum(),
                    server.quickWallNanos.sum() / 1000.0 / Math.max(1, server.quickCalls.sum()),
                    server.quickCpuNanos.sum() / 1000.0 / Math.max(1, server.quickCalls.sum()),
                    (server.quickCpuNanos.sum() + server.slowCpuNanos.sum()) / 1000.0 / measured,
                    List.copyOf(server.failures));
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(dir);
        }
    }

    /** Mean wall and CPU microseconds of {@code resolveQuickly} on one open connection. */
    static double[] steady(int calls) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process bash = new ProcessBuilder(
                            "bash",
                            "-c",
                            "exec 3<>/dev/tcp/127.0.0.1/" + listener.getLocalPort() + "; read -t 600 -u 3 line")
                    .start();
            try (Socket accepted = listener.accept();
                    ProcCallerResolver resolver = new ProcCallerResolver(
                            Path.of("/proc"),
                            OptionalInt.empty(),
                            OptionalInt.of((int) bash.pid()),
                            new BinaryTrust())) {
                InetSocketAddress client = (InetSocketAddress) accepted.getRemoteSocketAddress();
                InetSocketAddress proxy = (InetSocketAddress) accepted.getLocalSocketAddress();
                resolver.resolve(client, proxy);
                for (int i = 0; i < calls; i++) {
                    resolver.resolveQuickly(client, proxy); // warm up
                }
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    if (resolver.resolveQuickly(client, proxy) == null) {
                        throw new IllegalStateException("no quick answer for a steady client");
                    }
                }
                return new double[] {
                    (System.nanoTime() - start) / 1000.0 / calls,
                    (THREADS.getCurrentThreadCpuTime() - cpu) / 1000.0 / calls
                };
            } finally {
                bash.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The interpreter itself (python3 may be a launcher script that execs it). */
    private static String python() throws Exception {
        Process p =
                new ProcessBuilder("python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))").start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || path.isEmpty()) {
            throw new IllegalStateException("python3 is needed for the churning client");
        }
        return path;
    }

    private static void run(Server server, String python, Path script, int connections) throws Exception {
        Process client = new ProcessBuilder(
                        python,
                        script.toString(),
                        "127.0.0.1",
                        Integer.toString(server.port()),
                        Integer.toString(WORKERS),
                        Integer.toString(connections))
                .redirectErrorStream(true)
                .start();
        try {
            server.expect(client.pid(), python);
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!client.waitFor(120, TimeUnit.SECONDS) || !out.equals("done " + connections + " refused 0")) {
                server.failures.add("client: " + out);
            }
        } finally {
            client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Accepts, resolves (quickly on the loop, else on a virtual thread), answers one byte. */
    static final class Server implements AutoCloseable {

        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final LongAdder quick = new LongAdder();
        final LongAdder slow = new LongAdder();
        final LongAdder quickCalls = new LongAdder();
        final LongAdder quickWallNanos = new LongAdder();
        final LongAdder quickCpuNanos = new LongAdder();
        final LongAdder slowCpuNanos = new LongAdder();
        private final CallerResolver resolver;
        private final EventLoopGroup group;
        private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
        private final Channel listener;
        /** The only ancestor: the test JVM roots the tree. */
        private static final String JAVA =
                ProcessHandle.current().info().command().orElseThrow();

        private volatile long expectedPid;
        private volatile String expectedBinary;

        Server(CallerResolver resolver) throws InterruptedException {
            this.resolver = resolver;
            Transport transport = Transport.detect();
            group = transport.newGroup(2);
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new Connection());
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0)
                    .sync()
                    .channel();
        }

        int port() {
            return ((InetSocketAddress) listener.localAddress()).getPort();
        }

        void expect(long pid, String binary) {
            expectedPid = pid;
            expectedBinary = binary;
        }

        void reset() {
            for (LongAdder a : new LongAdder[] {quick, slow, quickCalls, quickWallNanos, quickCpuNanos, slowCpuNanos}) {
                a.reset();
            }
        }

        private final class Connection extends ChannelInboundHandlerAdapter {

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
                InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
                CallerIdentity id;
                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                try {
                    id = resolver.resolveQuickly(client, local);
                } catch (RuntimeException e) {
                    failures.add(client + ": " + e);
                    ctx.close();
                    return;
                } finally {
                    quickWallNanos.add(System.nanoTime() - start);
                    quickCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpu);
                    quickCalls.increment();
                }
                if (id != null) {
                    quick.increment();
                    answer(ctx, client, id);
                    return;
                }
                slow.increment();
                blocking.execute(() -> {
                    long slowCpu = THREADS.getCurrentThreadCpuTime();
                    try {
                        CallerIdentity resolved = resolver.resolve(client, local);
                        ctx.executor().execute(() -> answer(ctx, client, resolved));
                    } catch (RuntimeException e) {
                        failures.add(client + ": " + e);
                        ctx.close();
                    } finally {
                        slowCpuNanos.add(THREADS.getCurrentThreadCpuTime() - slowCpu);
                    }
                });
            }

            private void answer(ChannelHandlerContext ctx, InetSocketAddress client, CallerIdentity id) {
                if (id.pid() != expectedPid
                        || !id.binary().equals(expectedBinary)
                        || !id.ancestors().equals(List.of(JAVA))) {
                    failures.add(client + ": resolved to " + id + ", expected pid " + expectedPid);
                    ctx.close();
                    return;
                }
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'k'}));
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                resolver.released((InetSocketAddress) ctx.channel().remoteAddress());
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }

        @Override
        public void close() throws IOException {
            listener.close().syncUninterruptibly();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            blocking.close();
        }
    }
}
