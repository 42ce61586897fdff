package dev.openshell.policy.engine;

import dev.openshell.policy.match.DestinationGuard;
import dev.openshell.policy.match.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * One {@code allowed_ips} entry ({@code 10.0.0.0/8}, {@code fd00::/8}, or a single address) as
 * a prefix test. Kept minimal and private to the engine; the parser validates the text.
 */
final class IpPrefix {

    private final byte[] network;
    private final int bits;

    private IpPrefix(byte[] network, int bits) {
        this.network = network;
        this.bits = bits;
    }

    /** Parses CIDR or single-address text; throws {@link IllegalArgumentException} if invalid. */
    static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        InetAddress a = IpLiterals.parse(addr);
        if (a == null) {
            throw new IllegalArgumentException("not an IP address or CIDR: " + text);
        }
        boolean v6Text = addr.indexOf(':') >= 0;
        int max = a.getAddress().length * 8;
        int bits = max;
        if (slash >= 0) {
            bits = Integer.parseInt(text.substring(slash + 1));
            if (v6Text && a instanceof Inet4Address) {
                bits -= 96; // ::ffff:a.b.c.d/n is the IPv4 prefix a.b.c.d/(n-96)
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("prefix length out of range: " + text);
            }
        }
        // Matched addresses are unwrapped to IPv4 where they embed one, so do the same here.
        InetAddress unwrapped = DestinationGuard.unwrap(a);
        if (unwrapped != a && bits >= 96) {
            return new IpPrefix(unwrapped.getAddress(), bits - 96);
        }
        return new IpPrefix(a.getAddress(), bits);
    }

    /** Whether the (already unwrapped) address lies inside this prefix. */
    boolean covers(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length != network.length) {
            return false;
        }
        int full = bits >>> 3;
        for (int i = 0; i < full; i++) {
            if (b[i] != network[i]) {
                return false;
            }
        }
        int rest = bits & 7;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (b[full] & mask) == (network[full] & mask);
    }
}
