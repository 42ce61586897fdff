package dev.openshell.policy.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network: address plus prefix length, host bits zero. {@link #toString()} is
 * the canonical text ({@code 10.0.0.0/8}, {@code fd00::/8}); a single address is {@code /32} or
 * {@code /128}.
 */
public record Cidr(InetAddress network, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        int max = maxPrefix(network);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length must be 0.." + max);
        }
        if (!hostBitsZero(network.getAddress(), prefixLength)) {
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
        int max = maxPrefix(address);
        int prefix = max;
        if (slash >= 0) {
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("`" + text + "` has an invalid prefix length; expected 0.." + max);
            }
            prefix = Integer.parseInt(p);
            if (prefix > max) {
                throw new IllegalArgumentException(
                        "`" + text + "` has prefix length " + prefix + "; expected 0.." + max);
            }
        }
        byte[] masked = mask(address.getAddress(), prefix);
        InetAddress network = toAddress(masked);
        if (!network.equals(address)) {
            throw new IllegalArgumentException("`" + text + "` has host bits set; the network is `"
                    + HostName.format(network) + "/" + prefix + "`");
        }
        return new Cidr(network, prefix);
    }

    /** Whether this is an IPv4 network. */
    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    /** Whether the address lies in this network (an address of the other family never does). */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        return a.length == n.length && prefixEquals(a, n, prefixLength);
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
    public String toString() {
        return HostName.format(network) + "/" + prefixLength;
    }

    private static int maxPrefix(InetAddress a) {
        return a.getAddress().length * 8;
    }

    private static boolean prefixEquals(byte[] a, byte[] b, int bits) {
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (a[full] & m) == (b[full] & m);
    }

    private static boolean hostBitsZero(byte[] a, int prefix) {
        byte[] masked = mask(a, prefix);
        return java.util.Arrays.equals(masked, a);
    }

    private static byte[] mask(byte[] a, int prefix) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            int m = bitsHere == 0 ? 0 : (0xff << (8 - bitsHere)) & 0xff;
            out[i] = (byte) (out[i] & m);
        }
        return out;
    }

    private static InetAddress toAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
