package dev.openshell.cli.forward;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.ssh.SshAccessSetup;
import dev.openshell.cli.ssh.SshClientConfig;
import dev.openshell.cli.support.CliErrors;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openshell forward start NAME LOCAL_PORT[:REMOTE_PORT]}: a background {@code ssh -N -L}
 * through the gateway's SSH tunnel, so {@code 127.0.0.1:LOCAL_PORT} here reaches the sandbox's
 * own {@code 127.0.0.1:REMOTE_PORT}. Inbound only: the sandbox's SSH server opens forwards to its
 * own addresses and nothing else, so this never gives the agent a way out past its proxy.
 */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Forward 127.0.0.1:LOCAL_PORT on this host to port REMOTE_PORT (default: the same) on the sandbox's"
                    + " own loopback, in the background, through the gateway. openshell forward list shows it;"
                    + " openshell forward stop LOCAL_PORT ends it."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  openshell forward start demo 8080", "  openshell forward start demo 9000:8888"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:forwarding",
            "2:bad ports",
            "3:no such sandbox",
            "4:the local port is taken, or the sandbox is not Ready",
            "69:ssh could not set the forward up (its message is printed)"
        })
public final class ForwardStartCommand implements Callable<Integer> {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Parameters(index = "1", paramLabel = "LOCAL_PORT[:REMOTE_PORT]", description = "The ports.")
    private String ports;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() throws Exception {
        OpenShellCli cli = OpenShellCli.of(spec);
        int colon = ports.indexOf(':');
        int localPort = port(colon < 0 ? ports : ports.substring(0, colon));
        int remotePort = colon < 0 ? localPort : port(ports.substring(colon + 1));
        ForwardStore store = new ForwardStore(cli.registry());
        store.find(localPort).filter(ForwardRecord::running).ifPresent(r -> {
            throw CliErrors.of(
                    ErrorCode.CONFLICT,
                    "port " + localPort + " already forwards to " + r.sandbox() + ":" + r.remotePort(),
                    "stop it first: openshell forward stop " + localPort);
        });
        requireFree(localPort);
        SshClientConfig config;
        Path configFile;
        try (GatewayClient client = gateway.connect()) {
            config = SshAccessSetup.prepare(cli, gateway.entry(), client, name);
            configFile = SshAccessSetup.writeConfigFile(cli, config);
        }
        Path ssh = SshAccessSetup.sshBinary();
        if (ssh == null) {
            throw CliErrors.of(
                    ErrorCode.UNAVAILABLE,
                    "no OpenSSH client (ssh) on this host",
                    "install it: apt-get install openssh-client");
        }
        List<String> argv = new ArrayList<>();
        // Its own session: the forward outlives this command and the terminal it ran in.
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            argv.add("/usr/bin/setsid");
        }
        argv.addAll(List.of(
                ssh.toString(),
                "-F",
                configFile.toString(),
                "-N",
                "-o",
                "ExitOnForwardFailure=yes",
                "-L",
                "127.0.0.1:" + localPort + ":127.0.0.1:" + remotePort,
                config.identity().alias()));
        Path log = store.logFile(localPort);
        cli.registry().writeFile(log, "", java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Process p = new ProcessBuilder(argv)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        awaitListening(p, localPort, log);
        ForwardRecord record = new ForwardRecord(
                localPort, gateway.entry().name(), name, remotePort, p.pid(), Instant.now(), log.toString());
        store.save(record);
        new Output(spec, globals)
                .printText(
                        record,
                        () -> "forwarding 127.0.0.1:" + localPort + " to " + name + ":" + remotePort + " (pid "
                                + p.pid() + "); stop it: openshell forward stop " + localPort + "\n");
        return 0;
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw CliErrors.usage(
                "'" + SafeText.oneLine(text, 20) + "' is not a port (1-65535)",
                "e.g. openshell forward start NAME 8080:80");
    }

    private static void requireFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw CliErrors.of(
                    ErrorCode.CONFLICT,
                    "port " + port + " on 127.0.0.1 is in use by another program",
                    "choose another local port: LOCAL_PORT:REMOTE_PORT");
        }
    }

    /** Waits until ssh listens on the port (read from /proc, no probe connection) or has given up. */
    private static void awaitListening(Process p, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String why = Files.readString(log).strip();
                throw CliErrors.of(
                        ErrorCode.UNAVAILABLE,
                        "ssh could not set the forward up: "
                                + SafeText.oneLine(why.isEmpty() ? "exit " + p.exitValue() : why, 400),
                        "is the sandbox Ready? openshell sandbox get NAME");
            }
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 3 && f[1].equals(local) && f[3].equals("0A")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        p.destroy();
        throw CliErrors.of(ErrorCode.TIMEOUT, "ssh did not open port " + port + " in time", "see " + log);
    }
}
