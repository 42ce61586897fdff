package dev.openshell.sandbox.ssh;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.launch.LaunchSpec;
import dev.openshell.sandbox.launch.LauncherBinary;
import dev.openshell.sandbox.linux.NetworkNamespaceThread;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;

/**
 * One sandbox's SSH server (Apache MINA sshd), run by the supervisor as root in the host's
 * namespaces: interactive shells with a real terminal, {@code exec} with separate stdout and
 * stderr and the exit code, and {@code direct-tcpip} forwards into the sandbox. Every process it
 * starts goes through the sandbox launcher ({@link LaunchSpec}), so it runs as the agent's uid in
 * the sandbox's network namespace, mounts, Landlock domain and seccomp filter, like the agent.
 *
 * <p><b>Reachability.</b> It listens on {@code 127.0.0.1}, an ephemeral port, in the host network
 * namespace. The agent lives in its own namespace, whose loopback is not this one, and packets for
 * 127.0.0.0/8 arriving over its veth are dropped as martians, so neither the agent nor another
 * sandbox can connect. Host processes can, which is why authentication is a per-sandbox key pair:
 * the only key accepted is the one written to {@code <state dir>/ssh/client_key} (mode 0600, in a
 * 0700 directory); no passwords, no keyboard-interactive. (MINA's NIO2 transport cannot accept on a
 * Unix socket, which DESIGN.md would prefer; the gateway relay can connect to loopback instead.)
 *
 * <p><b>File transfer</b> is {@code cat}/{@code tar} over {@code exec} (see {@link
 * SandboxSshClient#upload}), not an SFTP subsystem. An SFTP server in this process would run as
 * root in the host's mount namespace and would have to re-implement the sandbox's view — path
 * checks, symlinks the agent planted, its private {@code /tmp}, file ownership — and any mistake
 * is a host escape. Through the launcher, the kernel enforces all of it: a transfer can read and
 * write exactly what the agent can, files belong to the agent's uid, and bytes pass unchanged.
 */
public final class SandboxSshServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    /** At most this many keys besides the sandbox's own (one per user who asked for SSH access). */
    static final int MAX_AUTHORIZED = 64;

    private final SshServer server;
    private final NetworkNamespaceThread namespace;
    private final SshEndpoint endpoint;
    private final java.util.Set<PublicKey> authorized;
    private final String hostKeyLine;

    private SandboxSshServer(
            SshServer server,
            NetworkNamespaceThread namespace,
            SshEndpoint endpoint,
            java.util.Set<PublicKey> authorized,
            String hostKeyLine) {
        this.server = server;
        this.namespace = namespace;
        this.endpoint = endpoint;
        this.authorized = authorized;
        this.hostKeyLine = hostKeyLine;
    }

    /**
     * Lets a client with {@code publicKeyLine} (OpenSSH format, {@code ssh-ed25519 AAAA... comment})
     * in, besides the sandbox's own key, until the server stops; returns the server's host key line
     * for the client's {@code known_hosts}. A gateway's SSH tunnel users bring their own key this way:
     * no private key ever leaves the host.
     *
     * @throws SshException {@code ssh_key_invalid} for anything but one parseable public key
     */
    public String authorize(String publicKeyLine) {
        if (publicKeyLine == null
                || publicKeyLine.length() > 16 * 1024
                || publicKeyLine.strip().contains("\n")) {
            throw new SshException(ErrorCode.SSH_KEY_INVALID, "give one OpenSSH public key line");
        }
        PublicKey key;
        try {
            key = org.apache.sshd.common.config.keys.PublicKeyEntry.parsePublicKeyEntry(publicKeyLine.strip())
                    .resolvePublicKey(null, java.util.Map.of(), null);
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw new SshException(ErrorCode.SSH_KEY_INVALID, "not an OpenSSH public key: " + e.getMessage());
        }
        if (key == null) {
            throw new SshException(ErrorCode.SSH_KEY_INVALID, "not an OpenSSH public key");
        }
        synchronized (authorized) {
            if (authorized.size() >= MAX_AUTHORIZED && !authorized.contains(key)) {
                throw new SshException(
                        ErrorCode.SSH_KEY_INVALID, "this sandbox already has " + MAX_AUTHORIZED + " authorized keys");
            }
            authorized.add(key);
        }
        return hostKeyLine;
    }

    /**
     * Starts the server for one sandbox.
     *
     * @param sandboxId names the keys
     * @param stateDirectory the sandbox's state directory; keys and the endpoint go to its {@code ssh/}
     *     (existing keys are reused, so a restarted supervisor keeps its identity)
     * @param spec how the agent is confined; every session process is confined the same way, and its
     *     {@code netns} (if any) is where forwards connect
     * @param environment variables every session process gets (proxy settings, CA bundle, ...)
     */
    public static SandboxSshServer start(
            String sandboxId, Path stateDirectory, LaunchSpec spec, Map<String, String> environment) {
        return start(sandboxId, stateDirectory, spec, environment, LauncherBinary.locate());
    }

    static SandboxSshServer start(
            String sandboxId, Path stateDirectory, LaunchSpec spec, Map<String, String> environment, Path launcher) {
        Objects.requireNonNull(sandboxId, "sandboxId");
        Objects.requireNonNull(spec, "spec");
        Path directory = stateDirectory.resolve("ssh");
        NetworkNamespaceThread namespace = null;
        SshServer server = SshServer.setUpDefaultServer();
        try {
            KeyPair hostKey =
                    SshKeys.loadOrCreate(directory.resolve(SshEndpoint.HOST_KEY), "openshell-host-" + sandboxId);
            KeyPair clientKey =
                    SshKeys.loadOrCreate(directory.resolve(SshEndpoint.CLIENT_KEY), "openshell-" + sandboxId);
            SshKeys.writeText(
                    directory.resolve(SshEndpoint.HOST_KEY + ".pub"),
                    SshKeys.publicLine(hostKey.getPublic(), "") + "\n");
            SshKeys.writeText(
                    directory.resolve(SshEndpoint.CLIENT_KEY + ".pub"),
                    SshKeys.publicLine(clientKey.getPublic(), "openshell-" + sandboxId) + "\n");
            if (spec.netns() != null) {
                namespace = NetworkNamespaceThread.enter(spec.netns());
            }
            ConfinedProcesses processes = new ConfinedProcesses(spec, launcher, environment);
            SandboxForwarding forwarding = new SandboxForwarding(namespace);

            server.setHost(LOOPBACK);
            server.setPort(0);
            server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setGSSAuthenticator(null);
            server.setHostBasedAuthenticator(null);
            java.util.Set<PublicKey> authorized = java.util.concurrent.ConcurrentHashMap.newKeySet();
            server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(clientKey.getPublic(), key)
                    || authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
            server.setChannelFactories(
                    List.of(new SandboxChannelSession.Factory(processes), forwarding.channelFactory()));
            server.setForwardingFilter(forwarding);
            server.setShellFactory(channel -> ((SandboxChannelSession) channel).command(null));
            server.setCommandFactory((channel, command) -> ((SandboxChannelSession) channel).command(command));
            server.setSubsystemFactories(List.of());
            // Interactive shells may sit idle for hours, as with OpenSSH.
            CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ZERO);
            // Small request/reply packets: Nagle plus delayed ACKs would add ~40 ms to every step.
            CoreModuleProperties.TCP_NODELAY.set(server, true);
            CoreModuleProperties.NIO_WORKERS.set(server, 2);
            server.start();

            int port =
                    ((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort();
            SshEndpoint endpoint = new SshEndpoint(LOOPBACK, port, directory);
            SshKeys.writeText(
                    endpoint.knownHostsFile(),
                    endpoint.knownHostsName() + " " + SshKeys.publicLine(hostKey.getPublic(), "") + "\n");
            SshKeys.writeText(directory.resolve(SshEndpoint.SSH_CONFIG), endpoint.sshConfig("openshell-" + sandboxId));
            SshKeys.writeText(directory.resolve(SshEndpoint.ENDPOINT), LOOPBACK + " " + port + "\n");
            return new SandboxSshServer(
                    server, namespace, endpoint, authorized, SshKeys.publicLine(hostKey.getPublic(), ""));
        } catch (IOException | RuntimeException e) {
            stopQuietly(server);
            if (namespace != null) {
                namespace.close();
            }
            throw new SshException(
                    ErrorCode.SSH_SERVER_FAILED,
                    "cannot start the SSH server of " + sandboxId + ": " + e.getMessage(),
                    e);
        }
    }

    /** Where the server listens and the files a client needs. */
    public SshEndpoint endpoint() {
        return endpoint;
    }

    /** Stops accepting, closes every session and kills the processes they started. */
    @Override
    public void close() {
        stopQuietly(server);
        if (namespace != null) {
            namespace.close();
        }
    }

    private static void stopQuietly(SshServer server) {
        try {
            server.stop(true);
        } catch (IOException e) {
            // Stopping immediately closes sockets; there is nothing left to retry.
        }
    }
}
