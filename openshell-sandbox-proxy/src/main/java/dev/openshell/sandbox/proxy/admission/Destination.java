package dev.openshell.sandbox.proxy.admission;

import java.net.IDN;
import java.net.InetAddress;
import java.util.Locale;

/**
 * A destination as named by the client ({@code host:port} of a CONNECT or an absolute URL),
 * normalised: lower case, no trailing dot, IPv6 without brackets.
 *
 * @param literal the address when {@code host} is an IP literal (no DNS is needed), else null
 */
public record Destination(String host, int port, InetAddress literal) {

    public static final String INFERENCE_HOST = "inference.local";

    /** Parses {@code host:port} or {@code [v6]:port}; the port is required when {@code defaultPort} is -1. */
    public static Destination parseAuthority(String authority, int defaultPort) {
        if (authority == null || authority.isEmpty() || authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("invalid authority");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unterminated IPv6 literal");
            }
            host = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("invalid authority");
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && authority.indexOf(':') != colon) {
                throw new IllegalArgumentException("IPv6 literals need brackets");
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        int port = defaultPort;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("invalid port");
            }
            port = Integer.parseInt(portText);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a port between 1 and 65535 is required");
        }
        return of(host, port);
    }

    /** Normalises {@code host} (no brackets) and checks it is a plausible name or literal. */
    public static Destination of(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty() || h.length() > 253) {
            throw new IllegalArgumentException("invalid host");
        }
        InetAddress literal = literal(h);
        if (literal == null) {
            h = IDN.toASCII(h).toLowerCase(Locale.ROOT);
            if (!h.chars()
                    .allMatch(c ->
                            (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                throw new IllegalArgumentException("invalid host");
            }
        }
        return new Destination(h, port, literal);
    }

    public boolean isInference() {
        return host.equals(INFERENCE_HOST);
    }

    /** {@code host:port} with brackets around IPv6. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static InetAddress literal(String h) {
        boolean maybe = h.indexOf(':') >= 0 || h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (!maybe) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(h);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid IP literal");
        }
    }
}
