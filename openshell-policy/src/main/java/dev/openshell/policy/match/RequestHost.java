package dev.openshell.policy.match;

import java.net.IDN;
import java.net.InetAddress;

/**
 * A destination host as a client named it, normalised for matching: lower-case, one trailing dot
 * removed, IDN converted to punycode, IPv6 brackets removed. IP literals are recognised (IPv4 in
 * every form the C resolver accepts) and carry their address; their {@link #name} is the
 * canonical text.
 *
 * @param name the normalised name, or canonical address text for a literal
 * @param literal the address when the host is an IP literal, otherwise {@code null}
 */
public record RequestHost(String name, InetAddress literal) {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    /** Normalises {@code host}; returns {@code null} when it is neither a valid name nor a literal. */
    public static RequestHost parse(String host) {
        if (host == null || host.isEmpty() || host.length() > 4096) {
            return null;
        }
        if (host.indexOf(':') >= 0) {
            InetAddress a = IpLiterals.parse(host);
            return a == null ? null : new RequestHost(IpLiterals.format(a), a);
        }
        String h = host;
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        boolean valid = validName(h); // also false for upper case and non-ASCII: normalise then
        if (valid && !lastLabelStartsWithDigit(h)) {
            return new RequestHost(h, null);
        }
        if (!valid && !isPlainLowerAscii(h)) {
            h = lowerAscii(h);
            if (h == null) {
                return null;
            }
        }
        if (lastLabelStartsWithDigit(h)) {
            InetAddress a = IpLiterals.parsePosix4(h);
            if (a != null) {
                return new RequestHost(a.getHostAddress(), a);
            }
            if (lastLabelAllDigits(h)) {
                return null; // looks like a malformed IPv4 literal; no DNS name ends in digits only
            }
        }
        return validName(h) ? new RequestHost(h, null) : null;
    }

    /** Whether the host is an IP literal. */
    public boolean isLiteral() {
        return literal != null;
    }

    /** {@code name:port}, with IPv6 literals in brackets. */
    public String withPort(int port) {
        return (literal != null && name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + port;
    }

    private static boolean isPlainLowerAscii(String h) {
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /** Lower-cases, and converts non-ASCII labels to punycode; {@code null} if IDN rejects it. */
    private static String lowerAscii(String h) {
        boolean ascii = true;
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return h.toLowerCase(java.util.Locale.ROOT);
        }
        try {
            String a = IDN.toASCII(h, 0).toLowerCase(java.util.Locale.ROOT);
            return a.endsWith(".") ? a.substring(0, a.length() - 1) : a;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean validName(String h) {
        if (h.isEmpty() || h.length() > MAX_NAME) {
            return false;
        }
        int labelLen = 0;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == '.') {
                if (labelLen == 0) {
                    return false;
                }
                labelLen = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                if (++labelLen > MAX_LABEL) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return labelLen > 0;
    }

    private static boolean lastLabelStartsWithDigit(String h) {
        int dot = h.lastIndexOf('.');
        int start = dot + 1;
        return start < h.length() && h.charAt(start) >= '0' && h.charAt(start) <= '9';
    }

    private static boolean lastLabelAllDigits(String h) {
        for (int i = h.lastIndexOf('.') + 1; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
