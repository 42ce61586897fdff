package dev.openshell.policy.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv6 addresses that carry an IPv4 address in their last 32 bits and reach it: IPv4-mapped
 * ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}) and NAT64 ({@code
 * 64:ff9b::/96}). Whoever judges a destination must judge the embedded address, or such a
 * spelling would smuggle a loopback or private address past the judgement.
 */
public final class EmbeddedIpv4 {

    private EmbeddedIpv4() {}

    /** The IPv4 address embedded in an IPv6 address, or the address itself. */
    public static InetAddress unwrap(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        if (!embeds(b)) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 bytes
        }
    }

    /** Whether the 16 bytes are in one of the embedding ranges. */
    static boolean embeds(byte[] b) {
        boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        // :: and ::1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
        boolean compatible = isZero(b, 0, 12) && !(isZero(b, 12, 15) && (b[15] & 0xff) <= 1);
        boolean nat64 = (b[0] & 0xff) == 0x00
                && (b[1] & 0xff) == 0x64
                && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b
                && isZero(b, 4, 12);
        return mapped || compatible || nat64;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
