package dev.openshell.policy.match;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** IP literal parsing (never a DNS lookup) and canonical text (RFC 5952 for IPv6). */
public final class IpLiterals {

    private IpLiterals() {}

    /**
     * Parses an IPv4 or IPv6 literal; IPv6 may be in brackets. IPv4 accepts only dotted decimal
     * ({@code a.b.c.d} and the shortened forms {@link Inet4Address#ofLiteral} accepts).
     *
     * @return the address, or {@code null} when {@code text} is not an IP literal
     */
    public static InetAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            if (text.indexOf(':') >= 0) {
                String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
                return InetAddress.ofLiteral(t);
            }
            return looksLikeIpv4(text) ? Inet4Address.ofLiteral(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Only digits and dots: avoids an exception per host name on the way to "not a literal". */
    private static boolean looksLikeIpv4(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses an IPv4 literal the way the C resolver does ({@code inet_aton}: octal, hex and
     * shortened forms such as {@code 0x7f.1}), because that is what a client connecting to such
     * a "host name" actually reaches.
     *
     * @return the address, or {@code null}
     */
    public static InetAddress parsePosix4(String text) {
        try {
            return Inet4Address.ofPosixLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Canonical text: dotted decimal, or compressed lower-case IPv6 (RFC 5952) without brackets. */
    public static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952: a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
