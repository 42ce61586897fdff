package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpTableTest {

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = TcpTableTest.class.getResourceAsStream("/identity/" + name)) {
            return in.readAllBytes();
        }
    }

    private static InetSocketAddress addr(String host, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Test
    void findsTheClientEndOfAnIpv4Connection() throws IOException {
        byte[] tcp = fixture("tcp.txt");
        assertThat(TcpTable.findInode(tcp, false, addr("127.0.0.1", 41906), addr("127.0.0.1", 3128)))
                .isEqualTo(1002);
        // the other direction is the proxy's own accepted socket, never mistaken for the client's
        assertThat(TcpTable.findInode(tcp, false, addr("127.0.0.1", 3128), addr("127.0.0.1", 41906)))
                .isEqualTo(1003);
        assertThat(TcpTable.findInode(tcp, false, addr("10.200.0.2", 54321), addr("10.200.0.1", 3128)))
                .isEqualTo(2001);
    }

    @Test
    void aClosedSocketWithInodeZeroOrAnUnknownPortIsNotFound() throws IOException {
        byte[] tcp = fixture("tcp.txt");
        assertThat(TcpTable.findInode(tcp, false, addr("127.0.0.1", 41907), addr("127.0.0.1", 3128)))
                .isEqualTo(-1);
        assertThat(TcpTable.findInode(tcp, false, addr("127.0.0.1", 41906), addr("127.0.0.1", 3129)))
                .isEqualTo(-1);
        assertThat(TcpTable.findInode(tcp, false, addr("127.0.0.2", 41906), addr("127.0.0.1", 3128)))
                .isEqualTo(-1);
    }

    @Test
    void ipv6AndIpv4MappedSocketsAreFoundInTcp6() throws IOException {
        byte[] tcp6 = fixture("tcp6.txt");
        assertThat(TcpTable.findInode(tcp6, true, addr("127.0.0.1", 45056), addr("127.0.0.1", 3128)))
                .isEqualTo(3002);
        assertThat(TcpTable.findInode(tcp6, true, addr("::1", 45057), addr("::1", 3128)))
                .isEqualTo(3003);
        assertThat(TcpTable.findInode(tcp6, true, addr("2001:db8::5", 49152), addr("2001:db8::1", 3128)))
                .isEqualTo(3004);
        // an IPv6 address can never be in the IPv4 table
        assertThat(TcpTable.findInode(fixture("tcp.txt"), false, addr("::1", 45057), addr("::1", 3128)))
                .isEqualTo(-1);
    }

    @Test
    void parsesEveryRowWithStateAndAddresses() throws IOException {
        List<TcpTable.Row> rows = TcpTable.parse(fixture("tcp.txt"), false);
        assertThat(rows).hasSize(5);
        TcpTable.Row listen = rows.get(0);
        assertThat(listen.state()).isEqualTo(TcpTable.STATE_LISTEN);
        assertThat(InetAddress.getByAddress(listen.local()).getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(listen.localPort()).isEqualTo(3128);
        assertThat(listen.inode()).isEqualTo(1001);
        TcpTable.Row timeWait = rows.get(4);
        assertThat(timeWait.state()).isEqualTo(6);
        assertThat(timeWait.inode()).isZero();

        List<TcpTable.Row> rows6 = TcpTable.parse(fixture("tcp6.txt"), true);
        assertThat(rows6).hasSize(4);
        assertThat(InetAddress.getByAddress(rows6.get(3).local()).getHostAddress())
                .isEqualTo("2001:db8:0:0:0:0:0:5");
        assertThat(rows6.get(3).localPort()).isEqualTo(49152);
    }

    @Test
    void toleratesAnEmptyTableAndGarbage() {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
        assertThat(TcpTable.findInode(new byte[0], false, a, a)).isEqualTo(-1);
        assertThat(TcpTable.findInode("header only".getBytes(), false, a, a)).isEqualTo(-1);
        assertThat(TcpTable.findInode("h\n:\n 0: zz\n\n\n1: 0100007F".getBytes(), false, a, a))
                .isEqualTo(-1);
    }
}
