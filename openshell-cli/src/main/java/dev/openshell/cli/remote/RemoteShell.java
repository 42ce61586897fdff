package dev.openshell.cli.remote;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.cli.support.CliErrors;
import dev.openshell.sandbox.ssh.ShellWords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/**
 * One SSH session to a remote host (MINA sshd's client), opened by {@link SshConnector}: runs
 * commands with {@code /bin/sh}, with or without standard input, and reports their exit status and
 * output. Closing it closes the session and the client.
 */
public final class RemoteShell implements AutoCloseable {

    /** What a command printed and how it ended. */
    public record Result(int exitStatus, String stdout, String stderr) {

        public boolean ok() {
            return exitStatus == 0;
        }

        /** The last non-blank line of standard error, for a one-line message. */
        public String lastError() {
            return stderr.lines()
                    .filter(l -> !l.isBlank())
                    .reduce((a, b) -> b)
                    .map(l -> SafeText.oneLine(l, 300))
                    .orElse("exit status " + exitStatus);
        }
    }

    private final SshClient client;
    private final ClientSession session;
    private final String destination;
    private final String hostName;

    RemoteShell(SshClient client, ClientSession session, String destination, String hostName) {
        this.client = client;
        this.session = session;
        this.destination = destination;
        this.hostName = hostName;
    }

    /** {@code user@host} as logged in to, for messages. */
    public String destination() {
        return destination;
    }

    /** The host name the connection went to, after {@code ~/.ssh/config}'s {@code HostName}. */
    public String hostName() {
        return hostName;
    }

    /** The address the connection reached on the remote host (as this side sees it). */
    public String connectedAddress() {
        SocketAddress a = session.getIoSession().getRemoteAddress();
        if (a instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return hostName;
    }

    /** Runs {@code script} with {@code /bin/sh -c}, no input. */
    public Result run(String script, Duration timeout) {
        return run(script, InputStream.nullInputStream(), null, timeout);
    }

    /**
     * Runs {@code script} with {@code /bin/sh -c}, {@code stdin} as its input (sent to its end, then
     * EOF), each line of its standard error to {@code stderrLines} as it comes (when not null).
     */
    public Result run(String script, InputStream stdin, Consumer<String> stderrLines, Duration timeout) {
        String command = "/bin/sh -c " + ShellWords.quote(script);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setIn(stdin);
            channel.setOut(out);
            channel.setErr(stderrLines == null ? err : new LineTap(err, stderrLines));
            channel.open().verify(timeout);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw CliErrors.of(
                        ErrorCode.TIMEOUT,
                        "a command on " + destination + " did not finish within " + timeout.toSeconds() + " s",
                        "look at the host: ssh " + destination);
            }
            Integer status = channel.getExitStatus();
            return new Result(
                    status != null ? status : 255,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw CliErrors.of(
                    ErrorCode.REMOTE_UNREACHABLE,
                    "the SSH connection to " + destination + " broke: " + SafeText.oneLine(e.getMessage(), 200),
                    "check the host and run the command again");
        }
    }

    @Override
    public void close() {
        try {
            session.close(false).await(Duration.ofSeconds(5));
        } catch (IOException e) {
            // closing anyway
        } finally {
            client.stop();
        }
    }

    /** Copies what it is written to a buffer and hands each complete line to a consumer. */
    private static final class LineTap extends java.io.OutputStream {
        private final ByteArrayOutputStream all;
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineTap(ByteArrayOutputStream all, Consumer<String> lines) {
            this.all = all;
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            all.write(b);
            if (b == '\n') {
                lines.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
