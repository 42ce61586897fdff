package dev.openshell.sandbox.supervisor;

import dev.openshell.policy.net.Cidr;
import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.net.Subnet;
import dev.openshell.sandbox.proxy.shared.HostResolver;
import dev.openshell.sandbox.spec.SandboxSpec;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a supervisor runs, beyond what its {@link SandboxSpec} says: things that are not data
 * (a DNS resolver for tests, where output goes) and host-wide locations.
 *
 * @param hostResolver how the proxy resolves destination names ({@link HostResolver#SYSTEM})
 * @param console where the agent's standard streams go
 * @param terminalOut where {@link AgentConsole#STREAMED} copies the agent's stdout
 * @param terminalErr where {@link AgentConsole#STREAMED} copies the agent's stderr
 * @param events receives every supervisor event (denials, findings, phases) as it is logged
 * @param sandboxesRoot where default state directories live (scanned for stale sandboxes)
 * @param netStateDir where subnet claims live (shared by every supervisor on the host)
 * @param stopGrace how long the agent gets between SIGTERM and SIGKILL at teardown
 * @param bypassPoll how often the firewall counters are read for findings
 * @param hostAddresses networks the proxy refuses as this host's own besides its interfaces'
 *     addresses and the sandbox subnets (which it always refuses): where a gateway listens
 * @param logFile where the sandbox log goes instead of {@code sandbox.log} in the state directory
 *     (then it outlives the sandbox: {@code openshell run --log FILE})
 * @param sandboxName what the sandbox is called on its gateway, for the proxy's denial hints
 */
public record SupervisorOptions(
        HostResolver hostResolver,
        AgentConsole console,
        OutputStream terminalOut,
        OutputStream terminalErr,
        Consumer<String> events,
        Path sandboxesRoot,
        Path netStateDir,
        Duration stopGrace,
        Duration bypassPoll,
        List<Cidr> hostAddresses,
        java.util.Optional<Path> logFile,
        java.util.Optional<String> sandboxName) {

    public SupervisorOptions {
        Objects.requireNonNull(hostResolver, "hostResolver");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(terminalOut, "terminalOut");
        Objects.requireNonNull(terminalErr, "terminalErr");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(sandboxesRoot, "sandboxesRoot");
        Objects.requireNonNull(netStateDir, "netStateDir");
        Objects.requireNonNull(stopGrace, "stopGrace");
        Objects.requireNonNull(bypassPoll, "bypassPoll");
        hostAddresses = List.copyOf(hostAddresses);
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(sandboxName, "sandboxName");
    }

    /** What the proxy refuses besides the host's own addresses: every sandbox subnet, and {@link #hostAddresses}. */
    public List<Cidr> guardedNetworks() {
        List<Cidr> networks = new java.util.ArrayList<>(hostAddresses);
        networks.add(Cidr.parse(Subnet.POOL));
        return List.copyOf(networks);
    }

    /**
     * System DNS, output logged only, default locations, 2 s grace, counters every 2 s, no extra
     * host addresses.
     */
    public static SupervisorOptions defaults() {
        return new SupervisorOptions(
                HostResolver.SYSTEM,
                AgentConsole.LOGGED,
                new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err),
                event -> {},
                SandboxSpec.SANDBOXES_ROOT,
                SandboxNetwork.DEFAULT_STATE_DIR,
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                List.of(),
                java.util.Optional.empty(),
                java.util.Optional.empty());
    }

    public SupervisorOptions withHostResolver(HostResolver value) {
        Copy c = new Copy(this);
        c.hostResolver = value;
        return c.build();
    }

    public SupervisorOptions withConsole(AgentConsole value) {
        Copy c = new Copy(this);
        c.console = value;
        return c.build();
    }

    public SupervisorOptions withTerminal(OutputStream out, OutputStream err) {
        Copy c = new Copy(this);
        c.terminalOut = out;
        c.terminalErr = err;
        return c.build();
    }

    public SupervisorOptions withEvents(Consumer<String> value) {
        Copy c = new Copy(this);
        c.events = value;
        return c.build();
    }

    public SupervisorOptions withStopGrace(Duration value) {
        Copy c = new Copy(this);
        c.stopGrace = value;
        return c.build();
    }

    public SupervisorOptions withHostAddresses(List<Cidr> value) {
        Copy c = new Copy(this);
        c.hostAddresses = value;
        return c.build();
    }

    public SupervisorOptions withBypassPoll(Duration value) {
        Copy c = new Copy(this);
        c.bypassPoll = value;
        return c.build();
    }

    public SupervisorOptions withLogFile(Path value) {
        Copy c = new Copy(this);
        c.logFile = java.util.Optional.of(value);
        return c.build();
    }

    /** What the sandbox is called on its gateway (named in the proxy's denial hints); by default its id. */
    public SupervisorOptions withSandboxName(String value) {
        Copy c = new Copy(this);
        c.sandboxName = java.util.Optional.of(value);
        return c.build();
    }

    /** The components of an instance, to change one or two and build a new instance. */
    private static final class Copy {
        private HostResolver hostResolver;
        private AgentConsole console;
        private OutputStream terminalOut;
        private OutputStream terminalErr;
        private Consumer<String> events;
        private final Path sandboxesRoot;
        private final Path netStateDir;
        private Duration stopGrace;
        private Duration bypassPoll;
        private List<Cidr> hostAddresses;
        private java.util.Optional<Path> logFile;
        private java.util.Optional<String> sandboxName;

        Copy(SupervisorOptions o) {
            hostResolver = o.hostResolver;
            console = o.console;
            terminalOut = o.terminalOut;
            terminalErr = o.terminalErr;
            events = o.events;
            sandboxesRoot = o.sandboxesRoot;
            netStateDir = o.netStateDir;
            stopGrace = o.stopGrace;
            bypassPoll = o.bypassPoll;
            hostAddresses = o.hostAddresses;
            logFile = o.logFile;
            sandboxName = o.sandboxName;
        }

        SupervisorOptions build() {
            return new SupervisorOptions(
                    hostResolver,
                    console,
                    terminalOut,
                    terminalErr,
                    events,
                    sandboxesRoot,
                    netStateDir,
                    stopGrace,
                    bypassPoll,
                    hostAddresses,
                    logFile,
                    sandboxName);
        }
    }
}
