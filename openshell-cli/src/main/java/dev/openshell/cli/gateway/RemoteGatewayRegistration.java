package dev.openshell.cli.gateway;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.context.RemoteHost;
import dev.openshell.cli.context.StoredCredentials;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.remote.Distribution;
import dev.openshell.cli.remote.RemoteGatewayStart;
import dev.openshell.cli.remote.SshConnector;
import dev.openshell.cli.remote.SshLogin;
import dev.openshell.cli.remote.SshTarget;
import dev.openshell.cli.support.CliEnvironment;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The CLI side of {@code gateway start --remote}: refuses a name registered for something else,
 * starts the gateway on the host ({@link RemoteGatewayStart}), stores the fetched client bundle
 * (the key 0600), registers the gateway with its remote address and makes it active.
 */
final class RemoteGatewayRegistration {

    private RemoteGatewayRegistration() {}

    static int start(
            CommandSpec spec,
            GlobalOptions globals,
            Output out,
            String name,
            String remote,
            Path sshKey,
            Integer port,
            String driver,
            Duration readyTimeout,
            Distribution distribution) {
        OpenShellCli cli = OpenShellCli.of(spec);
        GatewayRegistry registry = cli.registry();
        SshTarget target = SshTarget.parse(remote);
        SshLogin login = login(cli.environment(), sshKey != null ? sshKey.toAbsolutePath() : null);
        GatewayEntry previous = registry.find(name).orElse(null);
        if (previous != null
                && (!previous.onRemoteHost()
                        || !previous.remote().destination().equals(SshConnector.destination(target, login)))) {
            throw CliErrors.of(
                    ErrorCode.ALREADY_EXISTS,
                    "a gateway named " + name + " is registered for " + previous.endpoint()
                            + (previous.onRemoteHost()
                                    ? ", which runs on " + previous.remote().destination()
                                    : previous.isLocal() ? ", which runs on this host" : ""),
                    "choose another --name for the gateway on " + target);
        }
        RemoteGatewayStart.Outcome started = RemoteGatewayStart.start(
                new RemoteGatewayStart.Request(name, target, login, port, readyTimeout, distribution), out::note);

        storeBundle(registry, name, started.bundle());
        registry.save(new GatewayEntry(
                name,
                started.endpoint(),
                GatewayEntry.Auth.MTLS,
                driver,
                null,
                previous != null ? previous.createdAt() : Instant.now(),
                new RemoteHost(
                        remote,
                        login.key() != null ? login.key().toString() : null,
                        started.destination(),
                        started.layout().home(),
                        started.java(),
                        started.layout().version(),
                        started.dataDir())));
        registry.activate(name);

        GatewayStartCommand.Started doc = new GatewayStartCommand.Started(
                name,
                started.endpoint(),
                started.pid(),
                driver,
                started.alreadyRunning(),
                started.dataDir(),
                registry.mtlsDir(name).toString(),
                null,
                started.alreadyRunning() ? null : GatewayStartCommand.seconds(started.readyTime()),
                started.destination());
        out.printText(
                doc,
                () -> started.alreadyRunning()
                        ? "gateway " + name + " is already running at " + started.endpoint() + " (on "
                                + started.destination() + ", pid " + doc.pid() + ")\n"
                        : "gateway " + name + " is ready at " + started.endpoint() + " (on " + started.destination()
                                + ", pid " + doc.pid() + ", answering here in "
                                + String.format(Locale.ROOT, "%.1f", doc.readySeconds()) + " s)"
                                + " and is the active gateway\n");
        return 0;
    }

    /** How to log in again to the host of a registered remote gateway: the key it was started with, if any. */
    static SshLogin login(CliEnvironment env, RemoteHost host) {
        return login(env, host.sshKey() != null ? Path.of(host.sshKey()) : null);
    }

    /** {@code --ssh-key}, else {@code SSH_AUTH_SOCK}'s agent; {@code ~/.ssh} of this environment's {@code HOME}. */
    static SshLogin login(CliEnvironment env, Path key) {
        String home = env.get("HOME") != null ? env.get("HOME") : System.getProperty("user.home");
        String agent = env.get("SSH_AUTH_SOCK");
        return new SshLogin(Path.of(home), key, agent != null && !agent.isBlank() ? Path.of(agent) : null);
    }

    /** Writes the fetched PEM files to a private scratch directory so they are parsed and stored as imported ones. */
    private static void storeBundle(GatewayRegistry registry, String name, RemoteGatewayStart.Bundle bundle) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(
                    "openshell-bundle-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path ca = Files.writeString(scratch.resolve("ca.crt"), bundle.ca());
            Path cert = Files.writeString(scratch.resolve("tls.crt"), bundle.certificate());
            Path key = Files.writeString(scratch.resolve("tls.key"), bundle.key());
            new StoredCredentials(registry).importClientCertificate(name, ca, cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the client bundle: " + e.getMessage(), e);
        } finally {
            if (scratch != null) {
                try (Stream<Path> files = Files.walk(scratch)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // a leftover scratch directory holds nothing the registry does not
                }
            }
        }
    }
}
