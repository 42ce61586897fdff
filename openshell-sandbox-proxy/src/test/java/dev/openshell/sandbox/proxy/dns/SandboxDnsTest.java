package dev.openshell.sandbox.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.shared.HostResolver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SandboxDnsTest {

    private final CountDownLatch slow = new CountDownLatch(1);
    private final HostResolver resolver = host -> switch (host) {
        case "api.test" -> List.of(InetAddress.getByName("10.96.0.1"), InetAddress.getByName("fd00::1"));
        case "slow.test" -> {
            try {
                slow.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            yield List.of(InetAddress.getByName("10.96.0.2"));
        }
        case "broken.test" -> throw new IllegalStateException("resolver broke");
        default -> throw new UnknownHostException(host);
    };
    private final SandboxDns dns = SandboxDns.start(new InetSocketAddress("127.0.0.1", 0), resolver);

    @AfterEach
    void close() {
        slow.countDown();
        dns.close();
    }

    private byte[] ask(byte[] packet) throws Exception {
        try (var socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout(3000);
            socket.send(new java.net.DatagramPacket(packet, packet.length, dns.address()));
            byte[] buffer = new byte[1024];
            var reply = new java.net.DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return java.util.Arrays.copyOf(buffer, reply.getLength());
        }
    }

    private static int rcode(byte[] response) {
        return response[3] & 0x0F;
    }

    private static int answers(byte[] response) {
        return ByteBuffer.wrap(response, 6, 2).getShort();
    }

    @Test
    void aQueriesAreAnsweredWithTheResolversIpv4Addresses() throws Exception {
        byte[] response = ask(DnsQueryTest.query(1, "api.test", DnsQuery.TYPE_A));
        assertThat(rcode(response)).isEqualTo(DnsQuery.NOERROR);
        assertThat(answers(response)).isEqualTo(1);
        byte[] tail = java.util.Arrays.copyOfRange(response, response.length - 4, response.length);
        assertThat(InetAddress.getByAddress(tail).getHostAddress()).isEqualTo("10.96.0.1");
    }

    @Test
    void aaaaIsEmptyUnknownNamesAreNxdomainOtherTypesNotImplemented() throws Exception {
        byte[] aaaa = ask(DnsQueryTest.query(2, "api.test", DnsQuery.TYPE_AAAA));
        assertThat(rcode(aaaa)).isEqualTo(DnsQuery.NOERROR);
        assertThat(answers(aaaa)).isZero();
        assertThat(rcode(ask(DnsQueryTest.query(3, "nope.test", DnsQuery.TYPE_A))))
                .isEqualTo(DnsQuery.NXDOMAIN);
        assertThat(rcode(ask(DnsQueryTest.query(4, "api.test", 16)))).isEqualTo(DnsQuery.NOTIMP);
        assertThat(rcode(ask(DnsQueryTest.query(5, "broken.test", DnsQuery.TYPE_A))))
                .isEqualTo(DnsQuery.SERVFAIL);
    }

    @Test
    void garbageIsDroppedAndASlowLookupDoesNotBlockOthers() throws Exception {
        try (DatagramChannel client = DatagramChannel.open()) {
            client.connect(dns.address());
            client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            client.write(ByteBuffer.wrap(new byte[DnsQuery.MAX_PACKET + 100]));
            client.write(ByteBuffer.wrap(DnsQueryTest.query(6, "slow.test", DnsQuery.TYPE_A)));
            byte[] fast = ask(DnsQueryTest.query(7, "api.test", DnsQuery.TYPE_A));
            assertThat(rcode(fast)).isEqualTo(DnsQuery.NOERROR);
            client.configureBlocking(false);
            assertThat(client.read(ByteBuffer.allocate(600)))
                    .as("garbage gets no answer, slow.test none yet")
                    .isZero();
            slow.countDown();
            ByteBuffer reply = ByteBuffer.allocate(600);
            client.configureBlocking(true);
            client.read(reply);
            assertThat(reply.getShort(0)).as("the slow query's id").isEqualTo((short) 6);
        }
    }

    @Test
    void namesThePolicyDoesNotNameAreNxdomainWithoutALookup() throws Exception {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        dev.openshell.policy.model.Policy policy = dev.openshell.policy.PolicyParser.parse("""
                version: 1
                network_policies:
                  api:
                    endpoints: [{host: api.test, port: 443}]
                    binaries: [/usr/bin/curl]
                """);
        try (SandboxDns policed = SandboxDns.start(
                new InetSocketAddress("127.0.0.1", 0),
                host -> {
                    lookups.incrementAndGet();
                    return resolver.resolve(host);
                },
                (name, client, server) -> PolicyHostNames.names(policy, name))) {
            byte[] allowed = askAt(policed, DnsQueryTest.query(7, "API.test.", DnsQuery.TYPE_A));
            assertThat(rcode(allowed)).isEqualTo(DnsQuery.NOERROR);
            assertThat(answers(allowed)).isEqualTo(1);
            // A name carrying data to a domain the policy does not name never reaches the resolver.
            byte[] exfil = askAt(policed, DnsQueryTest.query(8, "c2VjcmV0.attacker.example", DnsQuery.TYPE_A));
            assertThat(rcode(exfil)).isEqualTo(DnsQuery.NXDOMAIN);
            assertThat(lookups).hasValue(1);
        }
    }

    @Test
    void theGateSeesWhoAskedAndAnAskerItCannotPlaceIsRefused() throws Exception {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Queue<InetSocketAddress> askers = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try (SandboxDns gated = SandboxDns.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        host -> {
                            lookups.incrementAndGet();
                            return resolver.resolve(host);
                        },
                        (name, client, server) -> {
                            askers.add(client);
                            if (name.startsWith("unknown")) {
                                throw new IllegalStateException("no such socket");
                            }
                            return name.equals("api.test") && server.getPort() != 0;
                        });
                var socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout(3000);
            byte[] allowed = ask(socket, gated, DnsQueryTest.query(1, "api.test", DnsQuery.TYPE_A));
            byte[] refused = ask(socket, gated, DnsQueryTest.query(2, "other.test", DnsQuery.TYPE_A));
            byte[] unplaced = ask(socket, gated, DnsQueryTest.query(3, "unknown.test", DnsQuery.TYPE_A));

            assertThat(rcode(allowed)).isEqualTo(DnsQuery.NOERROR);
            assertThat(rcode(refused)).isEqualTo(DnsQuery.NXDOMAIN);
            assertThat(rcode(unplaced)).isEqualTo(DnsQuery.NXDOMAIN);
            assertThat(lookups).hasValue(1);
            assertThat(askers)
                    .hasSize(3)
                    .allSatisfy(a -> assertThat(a.getPort()).isEqualTo(socket.getLocalPort()));
        }
    }

    private static byte[] ask(java.net.DatagramSocket socket, SandboxDns target, byte[] packet) throws Exception {
        socket.send(new java.net.DatagramPacket(packet, packet.length, target.address()));
        byte[] buffer = new byte[1024];
        var reply = new java.net.DatagramPacket(buffer, buffer.length);
        socket.receive(reply);
        return java.util.Arrays.copyOf(buffer, reply.getLength());
    }

    @Test
    void policyHostNamesMatchExactAndWildcardHostsOnly() {
        dev.openshell.policy.model.Policy policy = dev.openshell.policy.PolicyParser.parse("""
                version: 1
                network_policies:
                  gh:
                    endpoints:
                      - {host: api.github.com, port: 443}
                      - {host: "**.githubusercontent.com", port: 443}
                      - {allowed_ips: [10.0.0.0/8], port: 5432}
                    binaries: [/usr/bin/gh]
                """);
        assertThat(PolicyHostNames.names(policy, "api.github.com")).isTrue();
        assertThat(PolicyHostNames.names(policy, "a.b.githubusercontent.com")).isTrue();
        assertThat(PolicyHostNames.names(policy, "github.com")).isFalse();
        assertThat(PolicyHostNames.names(policy, "githubusercontent.com")).isFalse();
        assertThat(PolicyHostNames.names(dev.openshell.policy.model.Policy.denyAll(), "api.github.com"))
                .isFalse();
    }

    private static byte[] askAt(SandboxDns target, byte[] packet) throws Exception {
        try (var socket = new java.net.DatagramSocket()) {
            socket.setSoTimeout(3000);
            socket.send(new java.net.DatagramPacket(packet, packet.length, target.address()));
            byte[] buffer = new byte[1024];
            var reply = new java.net.DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return java.util.Arrays.copyOf(buffer, reply.getLength());
        }
    }
}
