package dev.openshell.sandbox.ssh;

import dev.openshell.sandbox.linux.NetworkNamespaceThread;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;

/**
 * {@code direct-tcpip} port forwards into the sandbox, and nothing else: remote forwards
 * ({@code tcpip-forward}), agent and X11 forwarding are refused.
 *
 * <p>The target must be a literal IP address or {@code localhost} (no name resolution, which
 * would happen in the host's namespace). The connecting socket is created on a thread inside the
 * sandbox's network namespace ({@link NetworkNamespaceThread}) and bound to the target address
 * itself before it connects: binding succeeds only for an address the namespace owns (its
 * loopback or its own interface addresses), so a forward can never leave the sandbox — the check
 * is the kernel's, not a list we keep. A sandbox without its own network namespace gets no
 * forwards at all, since its loopback would be the host's.
 */
final class SandboxForwarding implements ForwardingFilter {

    private final NetworkNamespaceThread namespace;

    SandboxForwarding(NetworkNamespaceThread namespace) {
        this.namespace = namespace;
    }

    /** The channel factory for {@code direct-tcpip}. */
    ChannelFactory channelFactory() {
        return new ChannelFactory() {
            @Override
            public String getName() {
                return TcpForwardingFilter.Type.Direct.getName();
            }

            @Override
            public Channel createChannel(Session session) {
                return new Forward();
            }
        };
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        return type == Type.Direct && namespace != null && target(address.getHostName()) != null;
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        return false;
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return false;
    }

    /** The address a host string names without any lookup, or null. */
    static InetAddress target(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+") && !literal.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            // A literal address: getByName parses it and does no lookup.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A {@code direct-tcpip} channel whose socket lives in the sandbox's network namespace. */
    private final class Forward extends TcpipServerChannel {

        Forward() {
            super(Type.Direct, null);
        }

        @Override
        protected OpenFuture doInit(Buffer buffer) {
            int start = buffer.rpos();
            InetAddress target = target(buffer.getString());
            buffer.rpos(start);
            if (target == null || namespace == null) {
                // The filter refuses it; let the base class answer in its usual way.
                return super.doInit(buffer);
            }
            setLocalAddress(new InetSocketAddress(target, 0));
            try {
                return namespace.call(() -> super.doInit(buffer));
            } catch (IOException | RuntimeException e) {
                OpenFuture failed = new DefaultOpenFuture(this, this);
                failed.setException(e);
                close(true);
                return failed;
            }
        }

        /** Tells the client why, instead of MINA's "generic error" for anything but a bare ConnectException. */
        @Override
        protected void handleChannelOpenFailure(OpenFuture future, Throwable problem) {
            Throwable cause = problem;
            while (cause.getCause() != null && !(cause instanceof SocketException)) {
                cause = cause.getCause();
            }
            String target =
                    getTunnelExit().getHostName() + ":" + getTunnelExit().getPort();
            SshChannelOpenException reason = cause instanceof BindException
                    ? new SshChannelOpenException(
                            getChannelId(),
                            SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED,
                            "not an address of the sandbox: " + target,
                            problem)
                    : new SshChannelOpenException(
                            getChannelId(),
                            SshConstants.SSH_OPEN_CONNECT_FAILED,
                            target + " in the sandbox: " + cause.getMessage(),
                            problem);
            super.handleChannelOpenFailure(future, reason);
        }
    }
}
