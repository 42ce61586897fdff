package dev.openshell.policy.match;

import dev.openshell.policy.net.HostName;
import java.net.InetAddress;

/**
 * A destination host as a client named it, normalised for matching: lower-case, one trailing dot
 * removed, IDN converted to punycode, IPv6 brackets removed. IP literals are recognised and carry
 * their address; their {@link #name} is the canonical text. Unlike policy hosts, IPv4 is
 * recognised in every form the C resolver accepts ({@code 127.1}, {@code 0x7f.0.0.1}), because
 * that is where a client naming such a host connects.
 *
 * @param name the normalised name, or canonical address text for a literal
 * @param literal the address when the host is an IP literal, otherwise {@code null}
 */
public record RequestHost(String name, InetAddress literal) {

    /** Normalises {@code host}; returns {@code null} when it is neither a valid name nor a literal. */
    public static RequestHost parse(String host) {
        if (host == null || host.isEmpty() || host.length() > 4096) {
            return null;
        }
        if (host.indexOf(':') >= 0) {
            InetAddress a = HostName.literal(host);
            return a == null ? null : new RequestHost(HostName.format(a), a);
        }
        String name = host;
        boolean valid = HostName.isValidName(host); // false for upper case and non-ASCII: normalise then
        if (!valid) {
            try {
                name = HostName.asciiName(host);
            } catch (IllegalArgumentException e) {
                return null;
            }
            valid = HostName.isValidName(name);
        }
        if (lastLabelStartsWithDigit(name)) {
            InetAddress a = HostName.resolverIpv4(name);
            if (a != null) {
                return new RequestHost(a.getHostAddress(), a);
            }
        }
        return valid ? new RequestHost(name, null) : null;
    }

    /** Whether the host is an IP literal. */
    public boolean isLiteral() {
        return literal != null;
    }

    /** The name as it stands before {@code :port}: IPv6 literals in brackets. */
    public String display() {
        return literal != null && name.indexOf(':') >= 0 ? "[" + name + "]" : name;
    }

    /** {@code name:port}, with IPv6 literals in brackets. */
    public String withPort(int port) {
        return display() + ":" + port;
    }

    /** Only then can the host be a resolver-style IPv4 literal: saves an exception per name. */
    private static boolean lastLabelStartsWithDigit(String h) {
        int start = h.lastIndexOf('.') + 1;
        return start < h.length() && h.charAt(start) >= '0' && h.charAt(start) <= '9';
    }
}
