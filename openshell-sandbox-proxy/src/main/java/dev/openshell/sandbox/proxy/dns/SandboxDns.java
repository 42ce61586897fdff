package dev.openshell.sandbox.proxy.dns;

import dev.openshell.sandbox.proxy.shared.HostResolver;
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
 * <p>A name is looked up only when the {@link LookupGate} lets the asking program have it (a
 * sandbox: some endpoint whose host matches the name lists that program); any other name gets
 * NXDOMAIN without reaching the host's resolver, so DNS queries cannot carry data out to a
 * destination the policy does not let that program reach.
 */
public final class SandboxDns implements AutoCloseable {

    /** The TTL of every answer, short so that answers track the proxy's resolution. */
    public static final int TTL_SECONDS = 5;

    /** The port a sandbox's responder listens on. */
    public static final int PORT = 53;

    static final int MAX_IN_FLIGHT = 64;

    private final DatagramChannel channel;
    private final HostResolver resolver;
    private final LookupGate gate;
    private final InetSocketAddress bound;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Thread receiver;

    private SandboxDns(DatagramChannel channel, HostResolver resolver, LookupGate gate) {
        this.channel = channel;
        this.resolver = resolver;
        this.gate = gate;
        try {
            this.bound = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.receiver = Thread.ofVirtual().name("sandbox-dns").unstarted(this::receive);
    }

    /**
     * Decides whether a name may be looked up for the program that asked. May block (it may have
     * to find the program); it runs on the lookup's own virtual thread.
     */
    @FunctionalInterface
    public interface LookupGate {

        /**
         * @param name the queried name, lower case, no trailing dot
         * @param client where the query came from: the asking program's socket
         * @param server the address the query was sent to (this responder's)
         */
        boolean mayLookUp(String name, InetSocketAddress client, InetSocketAddress server);
    }

    /** A responder that looks up every host name (tests; a sandbox passes its policy's gate). */
    public static SandboxDns start(InetSocketAddress address, HostResolver resolver) {
        return start(address, resolver, (name, client, server) -> true);
    }

    /** Binds {@code address} (port 53 for a sandbox; 0 picks one) and starts answering. */
    public static SandboxDns start(InetSocketAddress address, HostResolver resolver, LookupGate gate) {
        DatagramChannel channel = null;
        try {
            channel = DatagramChannel.open();
            channel.bind(address);
            SandboxDns dns = new SandboxDns(channel, resolver, gate);
            dns.receiver.start();
            return dns;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot bind the sandbox DNS responder on " + address, e);
        }
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return bound;
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
        } else if (!query.hasHostName()) {
            send(query.response(DnsQuery.NXDOMAIN), client);
        } else if (inFlight.tryAcquire()) {
            Thread.ofVirtual().name("sandbox-dns-lookup").start(() -> {
                try {
                    send(answer(query, (InetSocketAddress) client), client);
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

    private byte[] answer(DnsQuery query, InetSocketAddress client) {
        boolean allowed;
        try {
            allowed = gate.mayLookUp(normalized(query.name()), client, bound);
        } catch (RuntimeException e) {
            allowed = false; // the asker could not be established: fail closed
        }
        return allowed ? lookup(query) : query.response(DnsQuery.NXDOMAIN);
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
