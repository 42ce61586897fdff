package dev.openshell.cli.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.validation.DurationText;
import dev.openshell.bootstrap.host.HostCheck;
import dev.openshell.bootstrap.host.HostChecks;
import dev.openshell.bootstrap.local.LocalGatewaySpec;
import dev.openshell.bootstrap.local.LocalGatewayStart;
import dev.openshell.bootstrap.local.LocalGateways;
import dev.openshell.bootstrap.local.StartProgress;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.context.StoredCredentials;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliEnvironment;
import dev.openshell.cli.support.CliErrors;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code openshell gateway start [--name N] [--port P] [--driver local] [--remote user@host]}: runs
 * a gateway as a background daemon on this host (provisioned by {@code openshell-bootstrap}) or, with
 * {@code --remote}, on another host over SSH ({@link RemoteGatewayRegistration}), registers it and
 * makes it the active one. Starting a running gateway says so and succeeds.
 */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Start a gateway on this host (or, with --remote, on another host over SSH) in the background, register"
                    + " it and make it the active one.",
            "The first start makes the gateway's CA and certificates (reused while valid) and copies the client"
                    + " bundle under the configuration directory. Its database, keys and logs live in"
                    + " $XDG_DATA_HOME/openshell/gateways/NAME (default ~/.local/share/openshell/gateways/NAME).",
            "Starting a gateway that runs already says so and exits 0. The local driver needs root, ip (iproute2)"
                    + " and nft (nftables): see openshell doctor.",
            "With --remote, the host is reached with SSH as OpenSSH would (~/.ssh/config, known_hosts, the"
                    + " ssh-agent): its prerequisites are checked first (Java 25, root, ip, nft; nothing is changed"
                    + " when one is missing), the jars are copied to ~/.local/share/openshell/dist/VERSION there"
                    + " (files already there are skipped), the gateway starts there bound to the address the SSH"
                    + " connection arrived on, with its certificates made there, and the client bundle is fetched"
                    + " back. An unknown or changed host key is refused."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell gateway start",
            "  openshell gateway start --name dev --port 8444",
            "  openshell gateway start --remote root@gw1.example.com --name gw1",
            "  openshell gateway start --remote gw1 --ssh-key ~/.ssh/id_ed25519"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the gateway runs (started now, or already running)",
            "2:bad usage, or the remote host lacks a prerequisite (each one listed)",
            "4:the port is in use by another program, or the gateway runs on another port",
            "5:the remote host's key is unknown or changed, or it refused the SSH key",
            "69:the remote host does not answer over SSH",
            "124:the gateway did not become ready in time",
            "125:it cannot run there (not root, nft or ip missing, the jar missing, it exited while starting)"
        })
public final class GatewayStartCommand implements Callable<Integer> {

    /** The name of the gateway {@code gateway start} runs when none is given. */
    public static final String DEFAULT_NAME = "openshell";

    static final int DEFAULT_PORT = 8443;

    /** What {@code -o json} prints; {@code host} is the remote host's login for {@code --remote}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Started(
            String name,
            URI endpoint,
            long pid,
            String driver,
            boolean alreadyRunning,
            String dataDir,
            String clientBundle,
            Double certificateSeconds,
            Double readySeconds,
            String host) {}

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Name of the gateway (default: ${DEFAULT-VALUE}).",
            defaultValue = DEFAULT_NAME)
    private String name;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "HTTPS port (default: the port it used last, else 8443).")
    private Integer port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            description = "Address to listen on (default: 127.0.0.1; with --remote: the host's address that SSH"
                    + " reached). The server certificate names it.")
    private String bind;

    @Option(
            names = "--tls-san",
            paramLabel = "NAME",
            description = "Another host name or address for the server certificate (repeatable): how clients on"
                    + " other hosts reach the gateway.")
    private List<String> tlsNames = new java.util.ArrayList<>();

    @Option(
            names = "--remote",
            paramLabel = "[USER@]HOST",
            description = "Start the gateway on this host over SSH instead of here: user@host, an alias of"
                    + " ~/.ssh/config, or ssh://user@host:port.")
    private String remote;

    @Option(
            names = "--ssh-key",
            paramLabel = "FILE",
            description = "With --remote: the private key to log in with (default: the ssh-agent, the"
                    + " configuration's IdentityFile, ~/.ssh/id_*).")
    private Path sshKey;

    @Option(
            names = "--driver",
            paramLabel = "DRIVER",
            defaultValue = "local",
            description = "Compute driver: local (sandboxes as processes on this host; docker and k3s are to come).")
    private String driver;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "120s",
            description = "How long to wait for the gateway to become ready (default: ${DEFAULT-VALUE}).")
    private String timeout;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        OpenShellCli cli = OpenShellCli.of(spec);
        CliEnvironment env = cli.environment();
        GatewayRegistry registry = cli.registry();
        GatewayRegistry.requireName(name);
        Duration readyTimeout = DurationText.parse("--timeout", timeout);
        if (port != null && (port < 1 || port > 65535)) {
            throw CliErrors.usage("--port " + port + " is out of range 1-65535", "choose a port such as 8443");
        }
        if (!driver.equals("local")) {
            throw CliErrors.usage(
                    "the driver " + driver.toLowerCase(Locale.ROOT) + " is not available yet", "use --driver local");
        }
        if (sshKey != null && remote == null) {
            throw CliErrors.usage(
                    "--ssh-key is for --remote", "openshell gateway start --remote user@host --ssh-key FILE");
        }
        Output out = new Output(spec, globals);
        if (remote != null) {
            if (bind != null || !tlsNames.isEmpty()) {
                throw CliErrors.usage(
                        "--bind and --tls-san are chosen by --remote (the host's SSH address and name)",
                        "leave them out, or run openshell gateway start with them on the host itself");
            }
            return RemoteGatewayRegistration.start(
                    spec, globals, out, name, remote, sshKey, port, driver, readyTimeout, GatewayJar.distribution(env));
        }
        registry.find(name).filter(GatewayEntry::onRemoteHost).ifPresent(e -> {
            throw CliErrors.of(
                    ErrorCode.ALREADY_EXISTS,
                    "a gateway named " + name + " is registered for " + e.endpoint() + ", which runs on "
                            + e.remote().destination(),
                    "choose another --name for a gateway on this host");
        });
        registry.find(name).filter(e -> !e.isLocal()).ifPresent(e -> {
            throw CliErrors.of(
                    ErrorCode.ALREADY_EXISTS,
                    "a gateway named " + name + " is registered for " + e.endpoint() + ", which runs elsewhere",
                    "choose another --name for a gateway on this host");
        });
        HostChecks.requireLocalDriver(env.host());
        HostChecks.run(env.host()).stream()
                .filter(c -> c.name().equals("landlock") && c.status() != HostCheck.Status.OK)
                .forEach(c -> out.note("warning: Landlock is " + c.detail()));

        Path dataDir = registry.paths().gatewayDataDir(name);
        int chosenPort = port != null
                ? port
                : LocalGateways.status(dataDir).daemon().map(d -> d.port()).orElse(DEFAULT_PORT);
        LocalGatewaySpec gateway = new LocalGatewaySpec(
                name,
                dataDir,
                chosenPort,
                bind != null
                        ? bind
                        : LocalGateways.status(dataDir)
                                .daemon()
                                .map(d -> d.bind())
                                .orElse("127.0.0.1"),
                driver,
                GatewayJar.locate(env),
                Path.of(System.getProperty("java.home"), "bin", "java"),
                jvmOptions(env),
                readyTimeout,
                cacheDir(env),
                tlsNames);
        LocalGatewayStart started = LocalGateways.start(gateway, progress(out));

        new StoredCredentials(registry).copyBundle(name, started.clientBundle());
        GatewayEntry previous = registry.find(name).orElse(null);
        registry.save(new GatewayEntry(
                name,
                started.endpoint(),
                GatewayEntry.Auth.MTLS,
                driver,
                dataDir.toString(),
                previous != null ? previous.createdAt() : Instant.now()));
        registry.activate(name);

        Started doc = new Started(
                name,
                started.endpoint(),
                started.daemon().pid(),
                driver,
                started.alreadyRunning(),
                dataDir.toString(),
                registry.mtlsDir(name).toString(),
                started.alreadyRunning() ? null : seconds(started.pkiTime()),
                started.alreadyRunning() ? null : seconds(started.readyTime()),
                null);
        out.printText(
                doc,
                () -> started.alreadyRunning()
                        ? "gateway " + name + " is already running at " + started.endpoint() + " (pid " + doc.pid()
                                + ")\n"
                        : "gateway " + name + " is ready at " + started.endpoint() + " (pid " + doc.pid()
                                + ", ready in "
                                + String.format(Locale.ROOT, "%.1f", doc.readySeconds()) + " s"
                                + (started.madeCertificates()
                                        ? "; certificates made in "
                                                + String.format(Locale.ROOT, "%.1f", doc.certificateSeconds()) + " s"
                                        : "")
                                + ") and is the active gateway\n");
        return 0;
    }

    static StartProgress progress(Output out) {
        return new StartProgress() {
            @Override
            public void step(String what) {
                out.note(what + "...");
            }

            @Override
            public void waiting(Duration elapsed) {
                out.note("  still waiting for the gateway to answer (" + elapsed.toSeconds() + " s)");
            }
        };
    }

    private static List<String> jvmOptions(CliEnvironment env) {
        List<String> out = new java.util.ArrayList<>();
        GatewayJar.sandboxJar(env).ifPresent(jar -> out.add("-Dopenshell.gateway.local.sandbox-jar=" + jar));
        String opts = env.get("OPENSHELL_GATEWAY_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            out.addAll(List.of(opts.strip().split("\\s+")));
        }
        return out;
    }

    /** {@code $XDG_CACHE_HOME/openshell/gateway}; {@code OPENSHELL_GATEWAY_AOT=0} runs the jar as it is. */
    private static Path cacheDir(CliEnvironment env) {
        if ("0".equals(env.get("OPENSHELL_GATEWAY_AOT"))) {
            return null;
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(env.get("HOME") != null ? env.get("HOME") : System.getProperty("user.home"), ".cache");
        return base.resolve("openshell").resolve("gateway");
    }

    static double seconds(Duration d) {
        return Math.round(d.toMillis() / 100.0) / 10.0;
    }
}
