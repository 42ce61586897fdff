package dev.openshell.cli.remote;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.ConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Opens a {@link RemoteShell} the way OpenSSH would: {@code ~/.ssh/config} gives the host's {@code
 * HostName}, {@code Port}, {@code User}, {@code IdentityFile}s and {@code UserKnownHostsFile}; the
 * host key must be in known_hosts ({@link HostKeyCheck}); the keys offered are {@code --ssh-key}
 * alone when given, else those of the ssh-agent, the configuration's and the default files. Every
 * failure is one line with what to do: an unknown or changed host key, a refused key, a key
 * behind a passphrase, a host that does not answer.
 */
public final class SshConnector {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private SshConnector() {}

    /**
     * {@code user@host} (with {@code (port N)} when not 22) that {@code target} leads to after {@code
     * ~/.ssh/config}: two targets with the same destination reach the same login.
     */
    public static String destination(SshTarget target, SshLogin login) {
        return destination(resolve(target, login));
    }

    private static String destination(HostConfigEntry entry) {
        return entry.getUsername() + "@" + entry.getHostName()
                + (entry.getPort() != 22 ? " (port " + entry.getPort() + ")" : "");
    }

    public static RemoteShell connect(SshTarget target, SshLogin login) {
        HostConfigEntry entry = resolve(target, login);
        String destination = destination(entry);
        String ssh = sshCommand(entry);
        Path knownHosts = knownHosts(entry, login);
        HostKeyCheck hostKeys = new HostKeyCheck(knownHosts);
        KeyPair key = login.key() != null ? loadKey(login.key()) : null;

        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys.verifier());
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        if (key == null && login.agentSocket() != null && !"none".equals(entry.getProperty("IdentityAgent"))) {
            client.setAgentFactory(new AgentSocket.Factory(login.agentSocket()));
        }
        if (key != null) {
            entry.setIdentities(List.of());
            entry.setIdentitiesOnly(true);
        }
        client.start();
        ClientSession session = null;
        try {
            session = client.connect(entry).verify(CONNECT_TIMEOUT).getSession();
            if (key != null) {
                session.addPublicKeyIdentity(key);
            }
            session.auth().verify(CONNECT_TIMEOUT);
            return new RemoteShell(client, session, destination, entry.getHostName());
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            client.stop();
            if (e instanceof ApiException api) {
                throw api;
            }
            throw failure(e, session != null, hostKeys, entry, destination, ssh, login);
        }
    }

    /** The configuration's view of the target: host name, port, user and identities. */
    static HostConfigEntry resolve(SshTarget target, SshLogin login) {
        Path config = login.home().resolve(".ssh").resolve("config");
        try {
            HostConfigEntryResolver resolver = Files.isRegularFile(config)
                    ? new ConfigFileHostEntryResolver(config)
                    : HostConfigEntryResolver.EMPTY;
            HostConfigEntry entry =
                    resolver.resolveEffectiveHost(target.host(), target.port(), null, target.user(), null, null);
            if (entry == null) {
                entry = new HostConfigEntry(
                        target.host(),
                        target.host(),
                        target.port() > 0 ? target.port() : 22,
                        target.user() != null ? target.user() : System.getProperty("user.name"));
            }
            if (entry.getPort() <= 0) {
                entry.setPort(22);
            }
            if (login.key() == null && entry.getIdentities().isEmpty()) {
                for (String name : DEFAULT_KEYS) {
                    Path file = login.home().resolve(".ssh").resolve(name);
                    if (Files.isRegularFile(file)) {
                        entry.addIdentity(file);
                    }
                }
            }
            return entry;
        } catch (IOException e) {
            throw CliErrors.usage(
                    "cannot read " + config + ": " + SafeText.oneLine(e.getMessage(), 200),
                    "fix the file, or pass user@host without relying on it");
        }
    }

    private static Path knownHosts(HostConfigEntry entry, SshLogin login) {
        String configured = entry.getProperty("UserKnownHostsFile");
        if (configured != null && !configured.isBlank()) {
            String first = configured.strip().split("\\s+")[0];
            if (first.startsWith("~/")) {
                return login.home().resolve(first.substring(2));
            }
            return Path.of(first);
        }
        return login.home().resolve(".ssh").resolve("known_hosts");
    }

    private static KeyPair loadKey(Path file) {
        FilePasswordProvider refuse = (session, resource, retry) -> {
            throw new PassphraseNeeded();
        };
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, refuse);
            if (keys != null && keys.iterator().hasNext()) {
                return keys.iterator().next();
            }
        } catch (PassphraseNeeded e) {
            throw CliErrors.usage(
                    "the SSH key " + file + " is protected by a passphrase",
                    "add it to your ssh-agent (ssh-add " + file + ") and leave out --ssh-key");
        } catch (NoSuchFileException e) {
            throw CliErrors.usage(
                    "--ssh-key " + file + " does not exist", "give the private key file, e.g. ~/.ssh/id_ed25519");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // reported below
        }
        throw CliErrors.usage(
                "--ssh-key " + file + " is not an SSH private key",
                "give the private key file (not the .pub), e.g. ~/.ssh/id_ed25519");
    }

    private static ApiException failure(
            Exception e,
            boolean connected,
            HostKeyCheck hostKeys,
            HostConfigEntry entry,
            String destination,
            String ssh,
            SshLogin login) {
        HostKeyCheck.Rejection rejected = hostKeys.rejection();
        if (rejected != null) {
            String key = rejected.keyType() + " " + rejected.fingerprint();
            return rejected.changed()
                    ? CliErrors.of(
                            ErrorCode.REMOTE_HOST_KEY_REJECTED,
                            "the host key of " + entry.getHostName() + " has CHANGED (now " + key + ", not the one in "
                                    + rejected.knownHosts() + "): refusing to connect",
                            "if the host was reinstalled, remove the old key with ssh-keygen -R "
                                    + knownHostsName(entry) + ", check the new fingerprint, then " + ssh
                                    + " true once")
                    : CliErrors.of(
                            ErrorCode.REMOTE_HOST_KEY_REJECTED,
                            "the host key of " + entry.getHostName() + " is not known (" + key + ", not in "
                                    + rejected.knownHosts() + "): refusing to connect",
                            "if " + rejected.fingerprint() + " is that host's key, accept it with " + ssh
                                    + " true (answer yes), then run this again");
        }
        Throwable cause = rootCause(e);
        if (String.valueOf(cause.getMessage()).contains("Server key did not validate")) {
            // Refused by known_hosts without a recorded reason: a key marked @revoked there.
            return CliErrors.of(
                    ErrorCode.REMOTE_HOST_KEY_REJECTED,
                    "the host key of " + entry.getHostName() + " was refused by " + hostKeys.knownHosts()
                            + " (marked @revoked?): refusing to connect",
                    "check the host's key and the known_hosts entries for it (ssh-keygen -F " + knownHostsName(entry)
                            + ")");
        }
        if (!connected) {
            String why = cause instanceof UnknownHostException
                    ? "the name does not resolve"
                    : cause instanceof ConnectException
                            ? "connection refused"
                            : cause instanceof NoRouteToHostException
                                    ? "no route to host"
                                    : SafeText.oneLine(String.valueOf(cause.getMessage()), 200);
            return CliErrors.of(
                    ErrorCode.REMOTE_UNREACHABLE,
                    "cannot reach " + destination + " over SSH: " + why,
                    "check the address and that an SSH server runs there: " + ssh + " true");
        }
        String offered = login.key() != null
                ? "the key " + login.key()
                : entry.getIdentities().isEmpty() && login.agentSocket() == null
                        ? "no key (no --ssh-key, no ssh-agent, no ~/.ssh/id_* file)"
                        : "the keys of " + offered(entry, login);
        return CliErrors.of(
                ErrorCode.REMOTE_AUTH_FAILED,
                destination + " refused " + offered,
                "pass a key it accepts with --ssh-key, or add your public key to ~" + entry.getUsername()
                        + "/.ssh/authorized_keys there");
    }

    private static String offered(HostConfigEntry entry, SshLogin login) {
        List<String> from = new ArrayList<>();
        if (login.agentSocket() != null) {
            from.add("the ssh-agent");
        }
        from.addAll(entry.getIdentities());
        return String.join(", ", from);
    }

    /** The OpenSSH command that reaches the same login, for hints ({@code ssh -p 2222 root@gw1}). */
    public static String sshCommand(SshTarget target, SshLogin login) {
        return sshCommand(resolve(target, login));
    }

    static String sshCommand(HostConfigEntry entry) {
        return "ssh " + (entry.getPort() != 22 ? "-p " + entry.getPort() + " " : "") + entry.getUsername() + "@"
                + entry.getHostName();
    }

    private static String knownHostsName(HostConfigEntry entry) {
        return entry.getPort() != 22 ? "'[" + entry.getHostName() + "]:" + entry.getPort() + "'" : entry.getHostName();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            session.close(true);
        }
    }

    /** Thrown by the password provider: a key file needs a passphrase, which this command never asks for. */
    private static final class PassphraseNeeded extends IOException {
        PassphraseNeeded() {
            super("passphrase needed");
        }
    }
}
