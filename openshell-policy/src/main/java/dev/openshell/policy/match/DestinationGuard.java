package dev.openshell.policy.match;

import dev.openshell.policy.net.EmbeddedIpv4;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Classifies destination addresses for the guard that runs before any policy: loopback,
 * link-local, metadata, unspecified, multicast and broadcast addresses are never reachable;
 * private ranges only through an endpoint's {@code allowed_ips}. IPv6 forms that embed an IPv4
 * address (IPv4-mapped, IPv4-compatible, NAT64 {@code 64:ff9b::/96}) are judged by the embedded
 * address, so they cannot smuggle a loopback or metadata address past the guard.
 */
public final class DestinationGuard {

    private DestinationGuard() {}

    /** The IPv4 address embedded in an IPv6 address, or the address itself (see {@link EmbeddedIpv4}). */
    public static InetAddress unwrap(InetAddress address) {
        return EmbeddedIpv4.unwrap(address);
    }

    /** Classifies an address, judging an embedded IPv4 address (see {@link #unwrap}). */
    public static AddressClass classify(InetAddress address) {
        InetAddress a = unwrap(address);
        byte[] b = a.getAddress();
        return a instanceof Inet4Address ? classify4(b) : classify6(b);
    }

    private static AddressClass classify4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if (a0 == 127) {
            return AddressClass.LOOPBACK;
        }
        if (a0 == 0) {
            return AddressClass.UNSPECIFIED;
        }
        if (a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200) {
            return AddressClass.METADATA; // Alibaba Cloud; sits inside CGNAT, so test first
        }
        if (a0 == 169 && a1 == 254) {
            return AddressClass.LINK_LOCAL; // includes 169.254.169.254
        }
        if (a0 == 255 && a1 == 255 && a2 == 255 && a3 == 255) {
            return AddressClass.BROADCAST;
        }
        if (a0 >= 224 && a0 <= 239) {
            return AddressClass.MULTICAST;
        }
        if (a0 == 10
                || (a0 == 172 && (a1 & 0xf0) == 16)
                || (a0 == 192 && a1 == 168)
                || (a0 == 100 && (a1 & 0xc0) == 64)
                || (a0 == 198 && (a1 & 0xfe) == 18)) {
            return AddressClass.PRIVATE;
        }
        return AddressClass.PUBLIC;
    }

    private static AddressClass classify6(byte[] b) {
        if (isZero(b, 0, 15)) {
            return (b[15] & 0xff) == 1 ? AddressClass.LOOPBACK : AddressClass.UNSPECIFIED;
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0xfd
                && b1 == 0x00
                && (b[2] & 0xff) == 0x0e
                && (b[3] & 0xff) == 0xc2
                && isZero(b, 4, 14)
                && (b[14] & 0xff) == 0x02
                && (b[15] & 0xff) == 0x54) {
            return AddressClass.METADATA; // AWS IMDS over IPv6: fd00:ec2::254
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return AddressClass.LINK_LOCAL;
        }
        if (b0 == 0xff) {
            return AddressClass.MULTICAST;
        }
        if ((b0 & 0xfe) == 0xfc) {
            return AddressClass.PRIVATE;
        }
        return AddressClass.PUBLIC;
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
