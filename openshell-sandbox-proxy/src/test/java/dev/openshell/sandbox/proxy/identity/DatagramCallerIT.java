package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who sent a UDP datagram (what the sandbox DNS asks for every query): real python3 senders, with
 * a socket connected to the receiver (as glibc's resolver does) and one that is not, through
 * {@code sock_diag} and through the {@code net/udp} tables.
 */
class DatagramCallerIT {

    private DatagramSocket server;
    private Process sender;

    @BeforeEach
    void listen() throws Exception {
        server = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.destroyForcibly();
        }
        server.close();
    }

    /** Starts python3 sending one datagram, then waiting (as a resolver waits for its answer). */
    private InetSocketAddress receiveFrom(boolean connected) throws Exception {
        String send = connected
                ? "s.connect(('127.0.0.1', %d)); s.send(b'q')"
                : "s.bind(('0.0.0.0', 0)); s.sendto(b'q', ('127.0.0.1', %d))";
        sender = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        "import socket, time; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                                + send.formatted(server.getLocalPort()) + "; time.sleep(30)")
                .start();
        DatagramPacket packet = new DatagramPacket(new byte[16], 16);
        server.receive(packet);
        return (InetSocketAddress) packet.getSocketAddress();
    }

    private InetSocketAddress serverAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Test
    void theSenderOfADatagramIsIdentifiedWhetherItsSocketIsConnectedOrNot() throws Exception {
        String python = Path.of("/usr/bin/python3").toRealPath().toString();
        for (boolean connected : new boolean[] {true, false}) {
            InetSocketAddress client = receiveFrom(connected);
            try (ProcCallerResolver netlink = ProcCallerResolver.forOwnNamespace();
                    ProcCallerResolver tables =
                            ProcCallerResolver.forOwnNamespace().withTableLookup()) {
                CallerIdentity viaNetlink = netlink.resolveDatagram(client, serverAddress());
                CallerIdentity viaTables = tables.resolveDatagram(client, serverAddress());

                assertThat(netlink.socketLookup()).isEqualTo("sock_diag");
                assertThat(viaNetlink.binary()).as("connected=" + connected).isEqualTo(python);
                assertThat(viaNetlink.pid()).isEqualTo(sender.pid());
                assertThat(viaTables.pid()).as("connected=" + connected).isEqualTo(sender.pid());
            }
            sender.destroyForcibly().waitFor();
        }
    }

    @Test
    void aDatagramWhoseSocketIsGoneHasNoSender() throws Exception {
        InetSocketAddress client = receiveFrom(true);
        sender.destroyForcibly().waitFor();
        try (ProcCallerResolver resolver = ProcCallerResolver.forOwnNamespace()) {
            assertThatThrownBy(() -> resolver.resolveDatagram(client, serverAddress()))
                    .isInstanceOf(IdentityException.class)
                    .hasMessageContaining("no open UDP socket");
        }
    }

    @Test
    void aResolverOfAnotherTreeDoesNotClaimTheSender() throws Exception {
        InetSocketAddress client = receiveFrom(true);
        // the sender is not in the tree of this unrelated process
        Process other = new ProcessBuilder("sleep", "30").start();
        try (ProcCallerResolver resolver = new ProcCallerResolver(
                Path.of("/proc"), OptionalInt.empty(), OptionalInt.of((int) other.pid()), new BinaryTrust())) {
            assertThatThrownBy(() -> resolver.resolveDatagram(client, serverAddress()))
                    .isInstanceOf(IdentityException.class);
        } finally {
            other.destroyForcibly();
        }
    }
}
