package dev.openshell.policy.engine;

import dev.openshell.policy.match.RequestHost;
import dev.openshell.policy.model.L4Request;
import java.net.InetAddress;
import java.util.List;

/**
 * The addresses the destination guard judges for a request: the resolved addresses, plus the host
 * itself when it is an IP literal not among them (the proxy passes a literal destination as its
 * resolved address too, and judging it twice would ask the host's kernel twice per connection).
 * Indexed access instead of a merged array, so evaluation does not allocate one per request.
 */
final class RequestAddresses {

    private RequestAddresses() {}

    static int count(L4Request request, RequestHost host) {
        List<InetAddress> given = request.addresses();
        return given.size() + (host.isLiteral() && !given.contains(host.literal()) ? 1 : 0);
    }

    static InetAddress get(L4Request request, RequestHost host, int i) {
        List<InetAddress> given = request.addresses();
        return i < given.size() ? given.get(i) : host.literal();
    }
}
