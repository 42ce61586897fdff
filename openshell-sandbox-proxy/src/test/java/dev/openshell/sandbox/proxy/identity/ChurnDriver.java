package dev.openshell.sandbox.proxy.identity;

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
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * Churns connections at a resolver like the proxy benchmark's rate test: one python3 process with
 * {@value #WORKERS} asyncio workers opens and closes connections as fast as it can; a Netty server
 * (two event loops, as the proxy) resolves each accepted connection on its event loop when that is
 * cheap and on a virtual thread otherwise, checks the identity, and tells the resolver when a
 * connection closes. The test JVM roots the tree, so each identity carries one ancestor (java).
 * What it costs is measured by {@code CallerIdentityBench} in {@code openshell-bench}.
 */
final class ChurnDriver {

    static final int WORKERS = 16;

    private ChurnDriver() {}

    /**
     * One churn run's outcome.
     *
     * @param stats the resolver's counters over the measured connections
     * @param quick connections resolved on the event loop
     * @param slow connections resolved on a virtual thread
     * @param failures connections resolved wrongly or not at all
     */
    record Churn(ProcCallerResolver.Stats stats, long quick, long slow, List<String> failures) {}

    /** Resolves {@code warmUp} connections, then measures {@code measured} more from a new client process. */
    static Churn churn(int warmUp, int measured) throws Exception {
        Path dir = Files.createTempDirectory("identity-churn");
        Path script = dir.resolve("churn_client.py");
        try (InputStream in = ChurnDriver.class.getResourceAsStream("/identity/churn_client.py")) {
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
                    List.copyOf(server.failures));
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(dir);
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
            quick.reset();
            slow.reset();
        }

        private final class Connection extends ChannelInboundHandlerAdapter {

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
                InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
                CallerIdentity id;
                try {
                    id = resolver.resolveQuickly(client, local);
                } catch (RuntimeException e) {
                    failures.add(client + ": " + e);
                    ctx.close();
                    return;
                }
                if (id != null) {
                    quick.increment();
                    answer(ctx, client, id);
                    return;
                }
                slow.increment();
                blocking.execute(() -> {
                    try {
                        CallerIdentity resolved = resolver.resolve(client, local);
                        ctx.executor().execute(() -> answer(ctx, client, resolved));
                    } catch (RuntimeException e) {
                        failures.add(client + ": " + e);
                        ctx.close();
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
