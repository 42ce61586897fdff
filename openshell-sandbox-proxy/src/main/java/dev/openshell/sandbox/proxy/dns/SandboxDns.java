package dev.openshell.sandbox.proxy.dns;

import dev.openshell.sandbox.proxy.HostResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * The sandbox's DNS server: a UDP responder on the host side of its veth that answers A queries
 * with what the proxy's own {@link HostResolver} returns, so a program that ignores the proxy
 * variables can resolve a name, connect, be captured transparently, and pass the proxy's check
 * that the SNI's name resolves to the address it connected to (same resolver, same answer).
 *
 * <p>A: the resolved IPv4 addresses with a short TTL (5 s); AAAA: NOERROR without records (the
 * sandbox is IPv4-only); other types or classes: NOTIMP; a name that does not resolve or is not a
 * host name: NXDOMAIN; a malformed or oversized datagram: dropped. No recursion of its own and no
 * cache. The receive loop never blocks on a lookup: each runs on a virtual thread, at most {@link
 * #MAX_IN_FLIGHT} at once (more are dropped; the client retries).
 *
 * <p>Only names the current policy could allow are looked up ({@code answerable}, normally:
 * some endpoint's host pattern matches the name); any other name gets NXDOMAIN without reaching
 * the host's resolver, so DNS queries cannot carry data out of a sandbox whose policy does not
 * name the destination.
 */
public final class SandboxDns implements AutoCloseable {

    /** The TTL of every answer, short so that answers track the proxy's resolution. */
    public static final int TTL_SECONDS = 5;

    /** The port a sandbox's responder listens on. */
    public static final int PORT = 53;

    static final int MAX_IN_FLIGHT = 64;

    private final DatagramChannel channel;
    private final HostResolver resolver;
    private final Predicate<String> answerable;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Thread receiver;

    private SandboxDns(DatagramChannel channel, HostResolver resolver, Predicate<String> answerable) {
        this.channel = channel;
        this.resolver = resolver;
        this.answerable = answerable;
        this.receiver = Thread.ofVirtual().name("sandbox-dns").unstarted(this::receive);
    }

    /** A responder that looks up every host name (tests; a sandbox passes its policy's names). */
    public static SandboxDns start(InetSocketAddress address, HostResolver resolver) {
        return start(address, resolver, name -> true);
    }

    /**
     * Binds {@code address} (port 53 for a sandbox; 0 picks one) and starts answering.
     *
     * @param answerable whether a (lower-case, no trailing dot) name may be looked up at all
     */
    public static SandboxDns start(InetSocketAddress address, HostResolver resolver, Predicate<String> answerable) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open();
            channel.bind(address);
            SandboxDns dns = new SandboxDns(channel, resolver, answerable);
            dns.receiver.start();
            return dns;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot bind the sandbox DNS responder on " + address, e);
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void receive() {
        // One byte more than the limit, so that an oversized datagram is seen as such and dropped.
        ByteBuffer buffer = ByteBuffer.allocate(DnsQuery.MAX_PACKET + 1);
        while (channel.isOpen()) {
            SocketAddress client;
            try {
                buffer.clear();
                client = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue; // e.g. an ICMP error from an earlier send; the next datagram still counts
            }
            buffer.flip();
            DnsQuery.parse(buffer).ifPresent(query -> dispatch(query, client));
        }
    }

    private void dispatch(DnsQuery query, SocketAddress client) {
        if (!query.isStandardQuery() || query.qclass() != DnsQuery.CLASS_IN) {
            send(query.response(DnsQuery.NOTIMP), client);
        } else if (query.type() == DnsQuery.TYPE_AAAA) {
            send(query.response(DnsQuery.NOERROR), client);
        } else if (query.type() != DnsQuery.TYPE_A) {
            send(query.response(DnsQuery.NOTIMP), client);
        } else if (!query.hasHostName() || !answerable.test(normalized(query.name()))) {
            send(query.response(DnsQuery.NXDOMAIN), client);
        } else if (inFlight.tryAcquire()) {
            Thread.ofVirtual().name("sandbox-dns-lookup").start(() -> {
                try {
                    send(lookup(query), client);
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    private static String normalized(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private byte[] lookup(DnsQuery query) {
        try {
            List<InetAddress> addresses = resolver.resolve(query.name());
            List<Inet4Address> v4 = addresses.stream()
                    .filter(Inet4Address.class::isInstance)
                    .map(Inet4Address.class::cast)
                    .toList();
            return query.answer(v4, TTL_SECONDS);
        } catch (UnknownHostException e) {
            return query.response(DnsQuery.NXDOMAIN);
        } catch (RuntimeException e) {
            return query.response(DnsQuery.SERVFAIL); // the resolver broke, the name may well exist
        }
    }

    private void send(byte[] response, SocketAddress client) {
        try {
            channel.send(ByteBuffer.wrap(response), client);
        } catch (IOException e) {
            // the client is gone or the responder closed; DNS clients retry on their own
        }
    }

    /** Stops answering and releases the port. */
    @Override
    public void close() {
        closeQuietly(channel);
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
