package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.Transport;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the resolver like the proxy benchmark's rate test: one python3 process with 16 asyncio
 * workers opens and closes connections as fast as it can, a Netty server (two event loops, as the
 * proxy) resolves every accepted connection on its event loop when that is cheap and on a virtual
 * thread otherwise, and tells the resolver when a connection closes. Every identity must be the
 * client's; the probes per resolve are asserted loosely (so a regression in fd prediction shows)
 * and, with the time per resolve, printed. Timings are not asserted.
 */
class CallerChurnIT {

    private static final int WORKERS = 16;
    private static final int WARM_UP = 1500;
    private static final int MEASURED = 4000;

    @TempDir
    Path dir;

    @Test
    void everyConnectionOfAChurningClientIsResolvedCorrectlyWithFewProbes() throws Exception {
        Path script = dir.resolve("churn_client.py");
        try (InputStream in = getClass().getResourceAsStream("/identity/churn_client.py")) {
            Files.write(script, in.readAllBytes());
        }
        int self = (int) ProcessHandle.current().pid();
        String python = python();
        // the test JVM roots the tree: python3's identity carries one ancestor (this java)
        try (ProcCallerResolver resolver = new ProcCallerResolver(
                        Path.of("/proc"), OptionalInt.empty(), OptionalInt.of(self), new BinaryTrust());
                Server server = new Server(resolver)) {
            run(server, python, script, WARM_UP);
            server.reset();
            ProcCallerResolver.Stats before = resolver.stats();
            run(server, python, script, MEASURED);
            ProcCallerResolver.Stats stats = resolver.stats().minus(before);

            assertThat(server.failures).isEmpty();
            assertThat(server.served.sum()).isEqualTo(MEASURED);
            assertThat(stats.resolves()).isEqualTo(MEASURED);
            double probes = (double) stats.fdProbes() / stats.resolves();
            System.out.printf(
                    "churn: %d connections, %d workers: %.2f fd probes, %.2f procfs calls per resolve; %d quick,"
                            + " %d slow (%d tree scans); quick path %.1f us wall, %.1f us cpu per call;"
                            + " all paths %.1f us cpu per resolve%n",
                    MEASURED,
                    WORKERS,
                    probes,
                    (double) stats.procCalls() / stats.resolves(),
                    server.quick.sum(),
                    server.slow.sum(),
                    stats.scans(),
                    server.quickWallNanos.sum() / 1000.0 / Math.max(1, server.quickCalls.sum()),
                    server.quickCpuNanos.sum() / 1000.0 / Math.max(1, server.quickCalls.sum()),
                    (server.quickCpuNanos.sum() + server.slowCpuNanos.sum()) / 1000.0 / MEASURED);
            assertThat(probes).as("fd probes per resolve").isLessThanOrEqualTo(3.0);
        }
    }

    /** The interpreter itself (python3 may be a launcher script that execs it). */
    private static String python() throws Exception {
        Process p =
                new ProcessBuilder("python3", "-c", "import os, sys; print(os.path.realpath(sys.executable))").start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
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
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(server.failures).isEmpty();
            assertThat(out.strip()).isEqualTo("done " + connections + " refused 0");
        } finally {
            client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Accepts, resolves (quickly on the loop, else on a virtual thread), answers one byte. */
    private static final class Server implements AutoCloseable {

        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final LongAdder served = new LongAdder();
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
            for (LongAdder a :
                    new LongAdder[] {served, quick, slow, quickCalls, quickWallNanos, quickCpuNanos, slowCpuNanos}) {
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
                if (id.pid() != expectedPid || !id.binary().equals(expectedBinary)) {
                    failures.add(client + ": resolved to " + id + ", expected pid " + expectedPid);
                    ctx.close();
                    return;
                }
                served.increment();
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
