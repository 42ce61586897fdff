package dev.openshell.sandbox.ssh;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * A connection to one sandbox's {@link SandboxSshServer}, for the supervisor, tests and the CLI.
 *
 * <p>All clients in a JVM share one started MINA {@link SshClient} (its I/O threads); each
 * instance is one authenticated SSH connection, and every call opens its own channel on it, so
 * calls may run concurrently. The server's host key must be the one in the endpoint's
 * {@code host_key.pub}.
 */
public final class SandboxSshClient implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final AttributeRepository.AttributeKey<PublicKey> EXPECTED_HOST_KEY =
            new AttributeRepository.AttributeKey<>();

    private final ClientSession session;

    private SandboxSshClient(ClientSession session) {
        this.session = session;
    }

    /** Connects with the endpoint's own client key. */
    public static SandboxSshClient connect(SshEndpoint endpoint) {
        KeyPair identity;
        try {
            identity = SshKeys.load(endpoint.clientKeyFile());
        } catch (IOException e) {
            throw new SshException(ErrorCode.SSH_AUTH_FAILED, "cannot read the client key: " + e.getMessage(), e);
        }
        return connect(endpoint, identity);
    }

    /** Connects authenticating with {@code identity}. */
    public static SandboxSshClient connect(SshEndpoint endpoint, KeyPair identity) {
        PublicKey hostKey = endpoint.hostKey();
        ClientSession session;
        try {
            session = SharedClient.INSTANCE
                    .connect(
                            "sandbox",
                            endpoint.host(),
                            endpoint.port(),
                            AttributeRepository.ofKeyValuePair(EXPECTED_HOST_KEY, hostKey))
                    .verify(TIMEOUT)
                    .getSession();
        } catch (IOException e) {
            throw new SshException(
                    ErrorCode.SSH_CONNECT_FAILED,
                    "cannot connect to " + endpoint.host() + ":" + endpoint.port() + ": " + e.getMessage(),
                    e);
        }
        try {
            session.addPublicKeyIdentity(identity);
            session.auth().verify(TIMEOUT);
            return new SandboxSshClient(session);
        } catch (IOException e) {
            closeQuietly(session);
            throw new SshException(ErrorCode.SSH_AUTH_FAILED, "the sandbox refused the key: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code command} (an argument vector, quoted for the server's {@code sh -c}) in the sandbox
     * and waits for it. {@code stdin} is sent until its end, then EOF; null means no input.
     *
     * @return the command's exit code (128 + N when signal N killed it)
     */
    public int exec(List<String> command, InputStream stdin, OutputStream out, OutputStream err) {
        return execShell(ShellWords.join(command), stdin, out, err);
    }

    /** Like {@link #exec} with a shell command line. */
    public int execShell(String commandLine, InputStream stdin, OutputStream out, OutputStream err) {
        try (ChannelExec channel = session.createExecChannel(commandLine)) {
            if (stdin != null) {
                channel.setIn(stdin);
            }
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(TIMEOUT);
            if (stdin == null) {
                // EOF right away, without a pump thread for an empty stream.
                channel.getInvertedIn().close();
            }
            return awaitExit(channel);
        } catch (IOException e) {
            throw new SshException(ErrorCode.SSH_EXEC_FAILED, "exec failed: " + e.getMessage(), e);
        }
    }

    /**
     * An interactive login shell on a terminal of {@code columns} x {@code rows} with type
     * {@code term}; the terminal merges stdout and stderr into {@code out}.
     *
     * @return the shell's exit code
     */
    public int shell(String term, int columns, int rows, InputStream in, OutputStream out) {
        try (ChannelShell channel = session.createShellChannel()) {
            channel.setPtyType(term);
            channel.setPtyColumns(columns);
            channel.setPtyLines(rows);
            channel.setIn(in);
            channel.setOut(out);
            channel.setErr(out);
            return run(channel);
        } catch (IOException e) {
            throw new SshException(ErrorCode.SSH_EXEC_FAILED, "shell failed: " + e.getMessage(), e);
        }
    }

    /**
     * Copies a local file or directory into the sandbox; see {@link SandboxFileTransfer}. Like
     * {@code scp}: an existing remote directory receives {@code local}'s name inside it.
     */
    public void upload(Path local, String remote) {
        new SandboxFileTransfer(this).upload(local, remote);
    }

    /** Copies a file or directory out of the sandbox; an existing local directory receives its name. */
    public void download(String remote, Path local) {
        new SandboxFileTransfer(this).download(remote, local);
    }

    /**
     * Listens on {@code 127.0.0.1:localPort} (0 picks a free port) and forwards each connection to
     * {@code 127.0.0.1:sandboxPort} inside the sandbox's network namespace.
     */
    public PortForward forward(int localPort, int sandboxPort) {
        return forward(localPort, "127.0.0.1", sandboxPort);
    }

    /** Like {@link #forward(int, int)} to {@code sandboxHost}, which must be an address of the sandbox. */
    public PortForward forward(int localPort, String sandboxHost, int sandboxPort) {
        try {
            ExplicitPortForwardingTracker tracker = session.createLocalPortForwardingTracker(
                    new SshdSocketAddress("127.0.0.1", localPort), new SshdSocketAddress(sandboxHost, sandboxPort));
            return new PortForward(tracker.getBoundAddress().getPort(), tracker);
        } catch (IOException e) {
            throw new SshException(
                    ErrorCode.SSH_FORWARD_FAILED, "cannot forward port " + localPort + ": " + e.getMessage(), e);
        }
    }

    /** The MINA session, for callers that need a channel type this class does not wrap. */
    ClientSession session() {
        return session;
    }

    static int run(ClientChannel channel) throws IOException {
        channel.open().verify(TIMEOUT);
        return awaitExit(channel);
    }

    private static int awaitExit(ClientChannel channel) throws IOException {
        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
        Integer status = channel.getExitStatus();
        if (status != null) {
            return status;
        }
        String signal = channel.getExitSignal();
        throw new IOException(
                signal != null
                        ? "the command was killed by SIG" + signal
                        : "the channel closed without an exit status");
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(ClientSession session) {
        try {
            session.close();
        } catch (IOException e) {
            // Closing a session only releases resources; a failure leaves nothing to do.
        }
    }

    /** An active port forward; closing it stops listening and ends its connections. */
    public static final class PortForward implements AutoCloseable {

        private final int localPort;
        private final ExplicitPortForwardingTracker tracker;

        PortForward(int localPort, ExplicitPortForwardingTracker tracker) {
            this.localPort = localPort;
            this.tracker = tracker;
        }

        /** The local port that forwards into the sandbox. */
        public int localPort() {
            return localPort;
        }

        @Override
        public void close() {
            try {
                tracker.close();
            } catch (IOException e) {
                // The listener is gone either way.
            }
        }
    }

    /** The one MINA client of this JVM, started on first use; host keys are checked per connection. */
    private static final class SharedClient {

        static final SshClient INSTANCE = start();

        private static SshClient start() {
            SshClient client = SshClient.setUpDefaultClient();
            client.setServerKeyVerifier((session, address, key) -> {
                AttributeRepository context = session.getConnectionContext();
                PublicKey expected = context == null ? null : context.getAttribute(EXPECTED_HOST_KEY);
                return expected != null && KeyUtils.compareKeys(expected, key);
            });
            CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
            // Small request/reply packets: Nagle plus delayed ACKs would add ~40 ms to every step.
            CoreModuleProperties.TCP_NODELAY.set(client, true);
            client.start();
            return client;
        }
    }
}
