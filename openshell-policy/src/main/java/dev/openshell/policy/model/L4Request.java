package dev.openshell.policy.model;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * A new outbound connection to decide on.
 *
 * @param binary absolute path of the executable that opened the connection
 * @param ancestors executables of its ancestor processes, nearest first
 * @param host the destination as the client named it (name or IP literal; any case, trailing
 *     dot allowed)
 * @param port destination port
 * @param addresses the addresses {@code host} resolved to (the proxy connects only to these);
 *     empty when unknown, in which case the destination guard is skipped unless {@code host} is
 *     an IP literal
 */
public record L4Request(String binary, List<String> ancestors, String host, int port, List<InetAddress> addresses) {

    public L4Request {
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(host, "host");
        ancestors = List.copyOf(ancestors);
        addresses = List.copyOf(addresses);
    }
}
