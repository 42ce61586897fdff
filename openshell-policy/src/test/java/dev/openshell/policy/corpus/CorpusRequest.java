package dev.openshell.policy.corpus;

import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request of a fixture: L4 when {@code method} and {@code target} are absent, else L7.
 *
 * @param ips resolved addresses as literals; never resolved through DNS
 */
record CorpusRequest(
        String binary,
        List<String> ancestors,
        String host,
        int port,
        List<String> ips,
        String method,
        String target,
        ExpectedDecision expect) {

    CorpusRequest {
        ancestors = List.copyOf(ancestors);
        ips = List.copyOf(ips);
        if ((method == null) != (target == null)) {
            throw new IllegalArgumentException("an L7 request needs both method and target");
        }
    }

    boolean isL7() {
        return method != null;
    }

    L4Request l4() {
        List<InetAddress> addresses = new ArrayList<>();
        for (String ip : ips) {
            addresses.add(literal(ip));
        }
        return new L4Request(binary, ancestors, host, port, addresses);
    }

    L7Request l7() {
        return new L7Request(l4(), method, target);
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        if (isL7()) {
            sb.append(method).append(' ').append(target).append(" on ");
        }
        sb.append(host).append(':').append(port);
        if (!ips.isEmpty()) {
            sb.append(" ").append(ips);
        }
        String verdict = switch (expect.verdict()) {
            case ALLOW -> "allowed";
            case DENY -> "denied";
            case AUDIT_ALLOW -> "audit-allowed";
        };
        return sb.append(' ').append(verdict).toString();
    }

    /**
     * Parses an address literal without any name lookup. IPv4-mapped IPv6 literals stay IPv6
     * ({@link InetAddress#getByName} would silently turn them into IPv4, hiding exactly the case
     * the destination guard must unwrap).
     */
    static InetAddress literal(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v6 = s.indexOf(':') >= 0;
        boolean v4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!v6 && !v4) {
            throw new IllegalArgumentException("fixture ip is not an address literal: " + text);
        }
        try {
            InetAddress parsed = InetAddress.getByName(s);
            if (v6 && parsed instanceof Inet4Address) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad fixture ip " + text, e);
        }
    }
}
