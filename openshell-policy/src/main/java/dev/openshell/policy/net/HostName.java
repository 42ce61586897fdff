package dev.openshell.policy.net;

import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Canonical host names and IP literals: the one place that parses, formats and checks them, used
 * by policy validation, update specs and the engine, so all compare the same spelling. Policy
 * hosts are strict (dotted-quad IPv4 only); request hosts may also be IPv4 in the C resolver's
 * forms ({@link #resolverIpv4}), because that is where a client naming them connects.
 *
 * <p>Canonical form: DNS names lower-case ASCII with IDN labels in punycode and no trailing dot;
 * IPv4 as dotted quad; IPv6 without brackets in RFC 5952 compressed form. Nothing here performs
 * a DNS lookup.
 */
public final class HostName {

    /** Longest DNS name (without the trailing dot). */
    public static final int MAX_LENGTH = 253;

    private static final int MAX_LABEL = 63;

    private HostName() {}

    /**
     * Canonicalises a concrete host (a name or IP literal, no wildcard).
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static String canonicalize(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (host.indexOf('*') >= 0) {
            throw new IllegalArgumentException("a concrete host cannot contain `*`");
        }
        Optional<InetAddress> literal = ipAddress(host);
        if (literal.isPresent()) {
            return format(literal.get());
        }
        return canonicalName(host);
    }

    /**
     * Canonicalises a policy host pattern: a concrete host, or a wildcard as the whole first
     * label: {@code *.example.com} (exactly one label) or {@code **.example.com} (one or more).
     *
     * @throws IllegalArgumentException with a message saying what is wrong and what is valid
     */
    public static String canonicalizePattern(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        String prefix = host.startsWith("**.") ? "**." : host.startsWith("*.") ? "*." : null;
        if (prefix == null) {
            if (host.equals("*") || host.equals("**")) {
                throw new IllegalArgumentException(
                        "a bare `" + host + "` would allow every host; name a domain, e.g. `*.example.com`");
            }
            if (host.indexOf('*') >= 0) {
                throw new IllegalArgumentException(
                        "a wildcard is allowed only as the whole first label (`*.example.com` or `**.example.com`)");
            }
            return canonicalize(host);
        }
        String suffix = host.substring(prefix.length());
        if (suffix.isEmpty() || suffix.equals(".")) {
            throw new IllegalArgumentException("a bare `" + prefix.substring(0, prefix.length() - 1)
                    + "` would allow every host; " + "name a domain, e.g. `*.example.com`");
        }
        if (suffix.indexOf('*') >= 0) {
            throw new IllegalArgumentException(
                    "a wildcard is allowed only as the whole first label (`*.example.com` or `**.example.com`)");
        }
        if (suffix.indexOf(':') >= 0 || suffix.startsWith("[") || parseIpv4(stripDot(suffix)) != null) {
            throw new IllegalArgumentException("a wildcard cannot be combined with an IP address");
        }
        String name = canonicalName(suffix);
        if (name.indexOf('.') < 0) {
            throw new IllegalArgumentException("a wildcard over the top-level domain `" + name
                    + "` would match too much; the part after the wildcard needs at least two labels");
        }
        return prefix + name;
    }

    /** Whether a canonical pattern starts with a {@code *.} or {@code **.} wildcard label. */
    public static boolean isWildcard(String pattern) {
        return pattern.startsWith("*.") || pattern.startsWith("**.");
    }

    /** Whether {@code host} is an IPv4 or IPv6 literal (IPv6 with or without brackets). */
    public static boolean isIpLiteral(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        try {
            return ipAddress(host).isPresent();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Parses an IP literal without any DNS lookup: strict dotted-quad IPv4 (no leading zeros),
     * or IPv6 with or without brackets (no zone id). Empty when {@code host} is not a literal.
     *
     * @throws IllegalArgumentException when the text is clearly meant as IPv6 but is malformed
     */
    public static Optional<InetAddress> ipAddress(String host) {
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw new IllegalArgumentException("unbalanced `[` in IPv6 address");
            }
            return Optional.of(parseIpv6(host.substring(1, host.length() - 1)));
        }
        if (host.indexOf(':') >= 0) {
            return Optional.of(parseIpv6(host));
        }
        byte[] v4 = parseIpv4(host);
        if (v4 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Canonical text of an address: dotted quad, or RFC 5952 compressed lower-case IPv6. */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    /**
     * Parses an IP literal like {@link #ipAddress}, but answers {@code null} instead of throwing
     * when {@code text} is not a (valid) literal.
     */
    public static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return ipAddress(text).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Parses IPv4 the way the C resolver does ({@code inet_aton}: octal, hex and shortened forms
     * such as {@code 0x7f.1} or {@code 2130706433}). For request hosts only, because that is the
     * address a client connecting to such a "host name" actually reaches; policy hosts stay
     * strict dotted quads.
     *
     * @return the address, or {@code null}
     */
    public static InetAddress resolverIpv4(String text) {
        try {
            return Inet4Address.ofPosixLiteral(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A DNS name in the ASCII form names are compared in: one trailing dot removed, lower-case,
     * IDN labels in punycode. Returns {@code name} itself when it is already in that form. Does
     * not check the labels (see {@link #nameProblem}).
     *
     * @throws IllegalArgumentException when IDN conversion rejects the name
     */
    public static String asciiName(String name) {
        String s = stripDot(name);
        boolean lower = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return idnToAscii(s);
            }
            lower &= c < 'A' || c > 'Z';
        }
        return lower ? s : s.toLowerCase(Locale.ROOT);
    }

    private static String idnToAscii(String s) {
        try {
            return stripDot(IDN.toASCII(s).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid internationalised host name (" + e.getMessage() + ")");
        }
    }

    /**
     * Whether an ASCII name (as {@link #asciiName} returns it) is a valid host name: labels of
     * lower-case letters, digits, {@code -} and {@code _}, 1..63 characters, not starting or
     * ending with {@code -}; at most 253 characters; a last label that is not all digits (such a
     * name could only be a malformed IPv4 literal). One pass, no allocation: request hosts are
     * checked on every connection.
     */
    public static boolean isValidName(String ascii) {
        int n = ascii.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        int labelLength = 0;
        boolean digitsOnly = true;
        char previous = '.';
        for (int i = 0; i < n; i++) {
            char c = ascii.charAt(i);
            if (c == '.') {
                if (labelLength == 0 || previous == '-') {
                    return false;
                }
                labelLength = 0;
                digitsOnly = true;
            } else {
                boolean digit = c >= '0' && c <= '9';
                boolean ok = digit || (c >= 'a' && c <= 'z') || c == '_' || (c == '-' && labelLength > 0);
                if (!ok || ++labelLength > MAX_LABEL) {
                    return false;
                }
                digitsOnly &= digit;
            }
            previous = c;
        }
        return labelLength > 0 && previous != '-' && !digitsOnly;
    }

    /** What is wrong with an ASCII name, or {@code null} when {@link #isValidName} accepts it. */
    public static String nameProblem(String ascii) {
        if (isValidName(ascii)) {
            return null;
        }
        if (ascii.isEmpty()) {
            return "host is empty";
        }
        if (ascii.length() > MAX_LENGTH) {
            return "host name is longer than " + MAX_LENGTH + " characters";
        }
        int start = 0;
        while (true) {
            int dot = ascii.indexOf('.', start);
            int end = dot < 0 ? ascii.length() : dot;
            String problem = labelProblem(ascii, start, end);
            if (problem != null) {
                return problem;
            }
            if (dot < 0) {
                // 1.2.3, 256.1.1.1 or 010.0.0.1: neither a valid IPv4 literal nor a DNS name.
                return "`" + ascii + "` is neither a valid IPv4 address nor a host name";
            }
            start = dot + 1;
        }
    }

    private static String labelProblem(String s, int start, int end) {
        if (start == end) {
            return "host name has an empty label";
        }
        if (s.charAt(start) == '-' || s.charAt(end - 1) == '-') {
            return "host name label `" + s.substring(start, end) + "` starts or ends with `-`";
        }
        if (end - start > MAX_LABEL) {
            return "host name label is longer than " + MAX_LABEL + " characters";
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return "host name contains `" + printable(c)
                        + "`; labels may contain only letters, digits, `-` and `_`";
            }
        }
        return null;
    }

    private static String canonicalName(String host) {
        String ascii = asciiName(host);
        String problem = nameProblem(ascii);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return ascii;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    /** Strict dotted quad: four decimal octets 0..255 without leading zeros; null otherwise. */
    static byte[] parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                out[part++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3 && !(digits == 1 && value == 0)) {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return null;
                }
            } else {
                return null; // not a digit, a fourth digit, or a leading zero
            }
        }
        return part == 4 ? out : null;
    }

    /** IPv6 (possibly with an embedded IPv4 tail), no zone id; never a DNS lookup. */
    private static InetAddress parseIpv6(String s) {
        boolean colon = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok =
                    (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException("`" + s + "` is not a valid IPv6 address");
            }
            colon |= c == ':';
        }
        try {
            if (colon) {
                return InetAddress.ofLiteral(s);
            }
        } catch (IllegalArgumentException e) {
            // fall through to the one message
        }
        throw new IllegalArgumentException("`" + s + "` is not a valid IPv6 address");
    }
}
