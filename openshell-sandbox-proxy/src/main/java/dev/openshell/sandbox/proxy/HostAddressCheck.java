package dev.openshell.sandbox.proxy;

import dev.openshell.policy.model.HostAddresses;
import dev.openshell.policy.net.Cidr;
import dev.openshell.sandbox.linux.KernelRoutes;
import java.net.InetAddress;
import java.util.List;

/**
 * The proxy's answer to "would a connection to this address reach this host?", for the destination
 * guard: yes when the kernel routes the address locally (an address of any interface, the host end
 * of every sandbox's veth, a broadcast or multicast address; asked live with {@link KernelRoutes},
 * so an address added a moment ago counts at once), or when it lies in one of the configured extra
 * networks (where a gateway listens, the sandbox subnets). Thread-safe.
 */
public final class HostAddressCheck implements HostAddresses, AutoCloseable {

    private final KernelRoutes routes;
    private final Cidr[] extra;

    private HostAddressCheck(KernelRoutes routes, List<Cidr> extra) {
        this.routes = routes;
        this.extra = extra.toArray(Cidr[]::new);
    }

    /** Asks the kernel of the calling thread's network namespace, plus {@code extra}. */
    public static HostAddressCheck open(List<Cidr> extra) {
        return new HostAddressCheck(KernelRoutes.open(), List.copyOf(extra));
    }

    @Override
    public boolean contains(InetAddress address) {
        for (Cidr c : extra) {
            if (c.contains(address)) {
                return true;
            }
        }
        return routes.typeOf(address).isThisHost();
    }

    @Override
    public void close() {
        routes.close();
    }
}
