package dev.openshell.cli.remote;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The user's ssh-agent ({@code SSH_AUTH_SOCK}) as MINA's {@link SshAgent}: the agent protocol's
 * length-prefixed messages over the Unix socket, through the JDK's own Unix domain sockets (MINA's
 * {@code UnixAgentFactory} needs Tomcat's native APR library, which no one has). Keys never leave
 * the agent: it only lists them and signs.
 */
final class AgentSocket extends AbstractAgentProxy {

    /** Agent answers are small (a key list, a signature): a larger length is a broken or hostile agent. */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final SocketChannel channel;
    private final DataInputStream in;

    private AgentSocket(SocketChannel channel) {
        super(null);
        this.channel = channel;
        this.in = new DataInputStream(Channels.newInputStream(channel));
    }

    static AgentSocket open(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot reach the ssh-agent at " + socket + ": " + e.getMessage(), e);
        }
        return new AgentSocket(channel);
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        while (out.hasRemaining()) {
            channel.write(out);
        }
        int length = in.readInt();
        if (length <= 0 || length > MAX_MESSAGE) {
            throw new IOException("the ssh-agent sent a message of " + length + " bytes");
        }
        byte[] message = new byte[length];
        in.readFully(message);
        return new ByteArrayBuffer(message);
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Hands MINA's public key authentication a fresh connection to the agent for each session. */
    record Factory(Path socket) implements SshAgentFactory {

        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of(); // no agent forwarding to the remote host
        }

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
            return open(socket);
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) {
            throw new UnsupportedOperationException("agent forwarding is not offered");
        }
    }
}
