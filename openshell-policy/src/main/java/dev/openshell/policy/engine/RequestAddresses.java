package dev.openshell.policy.engine;

import dev.openshell.policy.L4Request;
import dev.openshell.policy.match.RequestHost;
import java.net.InetAddress;
import java.util.List;

/**
 * The addresses the destination guard judges for a request: the resolved addresses, plus the host
 * itself when it is an IP literal. Indexed access instead of a merged array, so evaluation does not
 * allocate one per request.
 */
final class RequestAddresses {

    private RequestAddresses() {}

    static int count(L4Request request, RequestHost host) {
        return request.addresses().size() + (host.isLiteral() ? 1 : 0);
    }

    static InetAddress get(L4Request request, RequestHost host, int i) {
        List<InetAddress> given = request.addresses();
        return i < given.size() ? given.get(i) : host.literal();
    }
}
