package dev.openshell.sandbox.proxy;

import dev.openshell.policy.CompiledPolicy;
import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyException;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.net.Cidr;
import dev.openshell.sandbox.proxy.identity.BinaryTrust;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import dev.openshell.sandbox.proxy.identity.TreeScope;
import dev.openshell.sandbox.proxy.log.DecisionSink;
import dev.openshell.sandbox.proxy.log.RotatingFileSink;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one egress proxy on its own, for benchmarks and manual use, with the real caller identity
 * (procfs, own network namespace) and the real policy engine:
 *
 * <pre>
 * java dev.openshell.sandbox.proxy.ProxyMain --listen 127.0.0.1:3128 --policy policy.yaml --trust-dir DIR
 *     [--extra-ca PEM] [--scope-pid PID | --scope-pid-file FILE] [--decision-log FILE] [--io-threads N]
 *     [--host-address CIDR]...
 * </pre>
 *
 * Callers are limited to the process tree of {@code --scope-pid} (or of the pid written to {@code
 * --scope-pid-file}, read when the first caller arrives); without either, any process on the host
 * (a full {@code /proc} scan per connection, about 100 ms). {@code --host-address} (repeatable) adds a
 * network the destination guard refuses as this host's own, besides every address the kernel
 * routes locally (where a gateway listens, say). Prints {@code listening HOST:PORT pid
 * N} once it accepts connections, then runs until killed.
 */
public final class ProxyMain {

    private static final String USAGE = "usage: ProxyMain --listen HOST:PORT --policy FILE --trust-dir DIR"
            + " [--extra-ca PEM] [--scope-pid PID | --scope-pid-file FILE] [--decision-log FILE] [--io-threads N]"
            + " [--host-address CIDR]...";
    private static final long LOG_MAX_BYTES = 64L << 20;

    /** The parsed command line. */
    record Options(
            InetSocketAddress listen,
            Path policy,
            Path trustDir,
            Path extraCa,
            OptionalInt scopePid,
            Path scopePidFile,
            Path decisionLog,
            int ioThreads,
            List<Cidr> hostAddresses) {

        static Options parse(String[] args) {
            InetSocketAddress listen = null;
            Path policy = null;
            Path trustDir = null;
            Path extraCa = null;
            OptionalInt scopePid = OptionalInt.empty();
            Path scopePidFile = null;
            Path decisionLog = null;
            int ioThreads = 1;
            List<Cidr> hostAddresses = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--listen" -> listen = address(value);
                    case "--policy" -> policy = Path.of(value);
                    case "--trust-dir" -> trustDir = Path.of(value);
                    case "--extra-ca" -> extraCa = Path.of(value);
                    case "--scope-pid" -> scopePid = OptionalInt.of(Integer.parseInt(value));
                    case "--scope-pid-file" -> scopePidFile = Path.of(value);
                    case "--decision-log" -> decisionLog = Path.of(value);
                    case "--io-threads" -> ioThreads = ioThreads(value);
                    case "--host-address" -> hostAddresses.add(cidr(value));
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
            if (listen == null || policy == null || trustDir == null) {
                throw new IllegalArgumentException("--listen, --policy and --trust-dir are required");
            }
            if (scopePid.isPresent() && scopePidFile != null) {
                throw new IllegalArgumentException("use either --scope-pid or --scope-pid-file");
            }
            return new Options(
                    listen, policy, trustDir, extraCa, scopePid, scopePidFile, decisionLog, ioThreads, hostAddresses);
        }

        private static Cidr cidr(String value) {
            try {
                return Cidr.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--host-address wants an address or CIDR: " + e.getMessage());
            }
        }

        private static int ioThreads(String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--io-threads wants a number of threads >= 1, got " + value);
        }

        private static InetSocketAddress address(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--listen wants HOST:PORT, got " + hostPort);
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(InetAddress.ofLiteral(host), Integer.parseInt(hostPort.substring(colon + 1)));
        }

        CallerResolver callerResolver() {
            BinaryTrust trust = new BinaryTrust();
            if (scopePidFile != null) {
                return new TreeScope(scopePidFile, trust);
            }
            return new ProcCallerResolver(Path.of("/proc"), OptionalInt.empty(), scopePid, trust);
        }
    }

    private ProxyMain() {}

    public static void main(String[] args) throws InterruptedException {
        Options options;
        CompiledPolicy policy;
        try {
            options = Options.parse(args);
            // symlinked binary paths in the policy denote their targets, as in a sandbox
            policy = PolicyEngine.compile(
                    PolicyParser.read(options.policy()), PolicyEngine.Options.resolvingHostSymlinks());
        } catch (IllegalArgumentException | PolicyException e) {
            System.err.println("ProxyMain: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        DecisionSink sink = options.decisionLog() == null
                ? record -> {}
                : new RotatingFileSink(options.decisionLog(), LOG_MAX_BYTES, 2);
        EgressProxy proxy = new EgressProxy(ProxyConfig.builder("proxy-main", options.callerResolver(), policy, 1)
                        .bind(options.listen())
                        .trustDir(options.trustDir())
                        .extraUpstreamCa(options.extraCa())
                        .sink(sink)
                        .ioThreads(options.ioThreads())
                        .extraHostAddresses(options.hostAddresses())
                        .build())
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            sink.close();
            stopped.countDown();
        }));
        PrintStream out = System.out;
        out.println("listening " + proxy.address().getAddress().getHostAddress() + ":" + proxy.port() + " pid "
                + ProcessHandle.current().pid() + " transport " + proxy.transport());
        out.flush();
        stopped.await();
    }
}
