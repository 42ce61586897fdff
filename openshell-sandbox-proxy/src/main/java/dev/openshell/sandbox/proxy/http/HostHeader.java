package dev.openshell.sandbox.proxy.http;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.proxy.admission.Destination;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/**
 * The {@code Host} of a request on a connection whose destination was checked before the request
 * arrived (a CONNECT tunnel or a captured connection): the request must name exactly that host, or
 * a server hosting several names would answer for a host the policy never looked at.
 *
 * <p>Rules: exactly one {@code Host}; its value is {@code host[:port]} with a host name (letters,
 * digits, {@code - . _}), an IPv4 address or a bracketed IPv6 address, with no userinfo, percent
 * escapes or non-ASCII bytes; host names compare case-insensitively and without a trailing dot, IP
 * addresses by value. An explicit port must be the connection's port; an omitted one is accepted
 * whatever the connection's port, because the connection is pinned to the checked address and port
 * and only the name selects a virtual host there.
 */
public final class HostHeader {

    private HostHeader() {}

    /**
     * Checks {@code request} against the connection's checked destination.
     *
     * @param host the checked host, normalised as {@link Destination} does
     * @return {@code null} when the request names that host, else the 400 to answer
     */
    public static RejectedRequest check(HttpRequest request, String host, int port) {
        List<String> values = request.headers().getAll(HttpHeaderNames.HOST);
        if (values.isEmpty()) {
            return bad(ErrorCode.BAD_HOST, "the request has no Host header");
        }
        if (values.size() > 1) {
            return bad(ErrorCode.BAD_HOST, "the request has more than one Host header");
        }
        String value = values.getFirst();
        if (host.indexOf(':') < 0 && (value.equals(host) || value.equals(host + ":" + port))) {
            return null; // what clients send: the checked name exactly, with or without the port
        }
        Destination named;
        try {
            named = parse(value, port);
        } catch (IllegalArgumentException e) {
            return bad(
                    ErrorCode.BAD_HOST,
                    "Host `" + printable(value) + "` is not a valid host[:port] (" + e.getMessage() + ")");
        }
        Destination checked = Destination.of(host, port);
        boolean sameHost = checked.literal() != null
                ? checked.literal().equals(named.literal())
                : named.literal() == null && checked.host().equals(named.host());
        if (!sameHost || named.port() != port) {
            return bad(
                    ErrorCode.HOST_MISMATCH,
                    "Host names " + printable(value) + " but this connection was checked for " + checked.authority()
                            + "; open a connection to that host for its requests");
        }
        return null;
    }

    /** {@code host[:port]} with the strict character set; the port defaults to {@code port}. */
    private static Destination parse(String value, int port) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '['
                    || c == ']';
            if (!allowed) {
                throw new IllegalArgumentException(
                        c == '@' ? "userinfo is not allowed" : "character `" + printable(String.valueOf(c)) + "`");
            }
        }
        int close = value.lastIndexOf(']');
        int colon = value.lastIndexOf(':');
        boolean hasPort = value.startsWith("[") ? colon > close : colon >= 0;
        if (hasPort && value.endsWith(":")) {
            throw new IllegalArgumentException("empty port");
        }
        return Destination.parseAuthority(value, port);
    }

    private static RejectedRequest bad(ErrorCode error, String detail) {
        return new RejectedRequest(error, detail);
    }

    /** Untrusted text for a message: printable ASCII only, at most 100 characters. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
