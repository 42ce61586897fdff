package dev.openshell.policy.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network: address plus prefix length, host bits zero. {@link #toString()} is
 * the canonical text ({@code 10.0.0.0/8}, {@code fd00::/8}); a single address is {@code /32} or
 * {@code /128}. Immutable; containment compares precomputed 64-bit words, so the engine can test
 * addresses against {@code allowed_ips} on every connection.
 */
public final class Cidr {

    private final InetAddress network;
    private final int prefixLength;
    /** The address bits, left-aligned: IPv4 in the top 32 bits of {@code hi}. */
    private final long hi;

    private final long lo;
    private final long maskHi;
    private final long maskLo;

    /**
     * @throws IllegalArgumentException when the prefix length is out of range or host bits are set
     */
    public Cidr(InetAddress network, int prefixLength) {
        Objects.requireNonNull(network, "network");
        byte[] bytes = network.getAddress();
        int max = bytes.length * 8;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length must be 0.." + max);
        }
        this.network = network;
        this.prefixLength = prefixLength;
        this.hi = word(bytes, 0);
        this.lo = word(bytes, 8);
        this.maskHi = mask(prefixLength);
        this.maskLo = mask(prefixLength - 64);
        if ((hi & ~maskHi) != 0 || (lo & ~maskLo) != 0) {
            throw new IllegalArgumentException("host bits are set in " + HostName.format(network) + "/" + prefixLength);
        }
    }

    /**
     * Parses {@code ADDR/PREFIX} or a single {@code ADDR} (IPv4 dotted quad, IPv6 with or without
     * brackets).
     *
     * @throws IllegalArgumentException saying what is wrong; for host bits set, naming the network
     */
    public static Cidr parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        int slash = text.indexOf('/');
        String addrText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = HostName.ipAddress(addrText)
                    .orElseThrow(() -> new IllegalArgumentException("`" + addrText + "` is not an IP address"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("`" + text + "` is not an IP address or CIDR (" + e.getMessage() + ")");
        }
        if (address instanceof Inet4Address && addrText.indexOf(':') >= 0) {
            throw new IllegalArgumentException(
                    "`" + text + "` is an IPv4-mapped IPv6 address; write the IPv4 form " + HostName.format(address));
        }
        int max = address.getAddress().length * 8;
        int prefix = slash < 0 ? max : prefixLength(text, slash, max);
        InetAddress network = masked(address, prefix);
        if (!network.equals(address)) {
            throw new IllegalArgumentException("`" + text + "` has host bits set; the network is `"
                    + HostName.format(network) + "/" + prefix + "`");
        }
        return new Cidr(network, prefix);
    }

    /**
     * Reads an {@code allowed_ips} entry the way the engine matches it: an IPv6 spelling of an
     * IPv4 network (IPv4-mapped {@code ::ffff:10.0.0.0/104}, IPv4-compatible, NAT64, prefix of at
     * least 96) becomes that IPv4 network ({@code 10.0.0.0/8}), because addresses are judged by the
     * IPv4 address they embed (see {@link EmbeddedIpv4}); host bits are ignored. Validation uses
     * the strict {@link #parse}.
     *
     * @throws IllegalArgumentException when the text is not an address or CIDR
     */
    public static Cidr parseForMatching(String text) {
        int slash = text.indexOf('/');
        String addrText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = HostName.literal(addrText);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address or CIDR: " + text);
        }
        // The JDK already turns ::ffff:a.b.c.d into IPv4; its prefix still counts the 96 bits.
        int offset = address instanceof Inet4Address && addrText.indexOf(':') >= 0 ? 96 : 0;
        InetAddress inner = EmbeddedIpv4.unwrap(address);
        int max = address.getAddress().length * 8 + offset;
        int prefix = slash < 0 ? max : prefixLength(text, slash, max);
        if (inner != address && prefix >= 96) {
            address = inner;
            offset = 96;
        }
        if (prefix < offset) {
            throw new IllegalArgumentException("prefix length out of range: " + text);
        }
        return new Cidr(masked(address, prefix - offset), prefix - offset);
    }

    /** The network address (host bits zero). */
    public InetAddress network() {
        return network;
    }

    /** The prefix length: 0..32 for IPv4, 0..128 for IPv6. */
    public int prefixLength() {
        return prefixLength;
    }

    /** Whether this is an IPv4 network. */
    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    /** Whether the address lies in this network (an address of the other family never does). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        return (a.length == 4) == isIpv4() && (word(a, 0) & maskHi) == hi && (word(a, 8) & maskLo) == lo;
    }

    /** Whether every address of {@code other} lies in this network. */
    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && contains(other.network);
    }

    /** Whether the two networks share at least one address. */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && c.network.equals(network);
    }

    @Override
    public int hashCode() {
        return network.hashCode() * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return HostName.format(network) + "/" + prefixLength;
    }

    private static int prefixLength(String text, int slash, int max) {
        String p = text.substring(slash + 1);
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("`" + text + "` has an invalid prefix length; expected 0.." + max);
        }
        int prefix = Integer.parseInt(p);
        if (prefix > max) {
            throw new IllegalArgumentException("`" + text + "` has prefix length " + prefix + "; expected 0.." + max);
        }
        return prefix;
    }

    /** Eight bytes from {@code from} as a big-endian word; missing bytes (IPv4) are zero. */
    private static long word(byte[] b, int from) {
        long w = 0;
        for (int i = from; i < from + 8; i++) {
            w = (w << 8) | (i < b.length ? b[i] & 0xff : 0);
        }
        return w;
    }

    /** A word whose top {@code bits} bits are set (none for bits <= 0, all for bits >= 64). */
    private static long mask(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] out = address.getAddress();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (bitsHere == 0 ? 0 : (0xff << (8 - bitsHere))));
        }
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
