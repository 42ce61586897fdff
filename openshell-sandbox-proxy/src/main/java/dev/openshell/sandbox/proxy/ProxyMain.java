package dev.openshell.sandbox.proxy;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.net.Cidr;
import dev.openshell.sandbox.proxy.identity.BinaryTrust;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import dev.openshell.sandbox.proxy.identity.TreeScope;
import dev.openshell.sandbox.proxy.log.DecisionSink;
import dev.openshell.sandbox.proxy.log.RotatingFileSink;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

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
 * Prints {@code listening HOST:PORT pid N} once it accepts connections, then runs until killed.
 * {@code --help} describes every flag.
 */
@Command(
        name = "ProxyMain",
        mixinStandardHelpOptions = true,
        version = "ProxyMain 0.1.0",
        sortOptions = false,
        description = "Runs one egress proxy with the real caller identity and policy engine, until killed.")
public final class ProxyMain implements Callable<Integer> {

    private static final long LOG_MAX_BYTES = 64L << 20;

    @Option(
            names = "--listen",
            required = true,
            paramLabel = "HOST:PORT",
            converter = AddressConverter.class,
            description = "Address and port to listen on.")
    private InetSocketAddress listen;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy YAML.")
    private Path policy;

    @Option(
            names = "--trust-dir",
            required = true,
            paramLabel = "DIR",
            description = "Where the sandbox CA and the combined trust bundle are written.")
    private Path trustDir;

    @Option(names = "--extra-ca", paramLabel = "PEM", description = "An extra CA bundle trusted for upstream TLS.")
    private Path extraCa;

    @ArgGroup(exclusive = true)
    private Scope scope;

    @Option(names = "--decision-log", paramLabel = "FILE", description = "Write the decision log (JSON lines) here.")
    private Path decisionLog;

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            defaultValue = "1",
            converter = IoThreadsConverter.class,
            description = "Event-loop threads (default ${DEFAULT-VALUE}).")
    private int ioThreads;

    @Option(
            names = "--host-address",
            paramLabel = "CIDR",
            converter = CidrConverter.class,
            description = "A network the destination guard refuses as this host's own, besides every address the"
                    + " kernel routes locally (repeatable).")
    private List<Cidr> hostAddresses = new ArrayList<>();

    @Spec
    private CommandLine.Model.CommandSpec spec;

    /** Whose connections are attributed: one process tree, or (without either) any process on the host. */
    static final class Scope {
        @Option(
                names = "--scope-pid",
                paramLabel = "PID",
                description = "Only callers in the process tree of PID (without a scope: a full /proc scan per"
                        + " connection, about 100 ms).")
        private Integer pid;

        @Option(
                names = "--scope-pid-file",
                paramLabel = "FILE",
                description = "Like --scope-pid, with the pid read from FILE when the first caller arrives.")
        private Path pidFile;
    }

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

        Options {
            hostAddresses = List.copyOf(hostAddresses);
        }

        /** Parses {@code args}; a bad command line is an IllegalArgumentException with picocli's message. */
        static Options parse(String[] args) {
            ProxyMain command = new ProxyMain();
            try {
                new CommandLine(command).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return command.options();
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

    public static void main(String[] args) {
        // slf4j-simple (simplelogger.properties): the proxy's own events at info on stderr
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        // Netty's default leak detection records a stack trace for one buffer in 128: about 2 % of
        // the proxy's CPU per forwarded request. Tests keep it (they do not come through here).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        System.exit(new CommandLine(new ProxyMain()).execute(args));
    }

    Options options() {
        OptionalInt scopePid = scope == null || scope.pid == null ? OptionalInt.empty() : OptionalInt.of(scope.pid);
        Path scopePidFile = scope == null ? null : scope.pidFile;
        return new Options(
                listen, policy, trustDir, extraCa, scopePid, scopePidFile, decisionLog, ioThreads, hostAddresses);
    }

    @Override
    public Integer call() throws InterruptedException {
        Options options = options();
        PrintWriter err = spec.commandLine().getErr();
        CompiledPolicy compiled;
        try {
            // symlinked binary paths in the policy denote their targets, as in a sandbox
            compiled = PolicyEngine.compile(
                    PolicyParser.read(options.policy()), PolicyEngine.Options.resolvingHostSymlinks());
        } catch (PolicyException e) {
            err.println("ProxyMain: " + e.getMessage());
            return 2;
        }
        DecisionSink sink = options.decisionLog() == null
                ? record -> {}
                : new RotatingFileSink(options.decisionLog(), LOG_MAX_BYTES, 2);
        EgressProxy proxy = new EgressProxy(ProxyConfig.builder("proxy-main", options.callerResolver(), compiled, 1)
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
        PrintWriter out = spec.commandLine().getOut();
        out.println("listening " + proxy.address().getAddress().getHostAddress() + ":" + proxy.port() + " pid "
                + ProcessHandle.current().pid() + " transport " + proxy.transport());
        out.flush();
        stopped.await();
        return 0;
    }

    static final class AddressConverter implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new TypeConversionException("wants HOST:PORT, got " + hostPort);
            }
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            try {
                return new InetSocketAddress(
                        InetAddress.ofLiteral(host), Integer.parseInt(hostPort.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("wants HOST:PORT with an IP literal, got " + hostPort);
            }
        }
    }

    static final class CidrConverter implements ITypeConverter<Cidr> {
        @Override
        public Cidr convert(String value) {
            try {
                return Cidr.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("wants an address or CIDR: " + e.getMessage());
            }
        }
    }

    static final class IoThreadsConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("wants a number of threads >= 1, got " + value);
        }
    }
}
