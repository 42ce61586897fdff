package dev.openshell.sandbox.proxy.http;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The idle kept-alive upstream connections of one client connection, one per destination key.
 * Confined to the client connection's event loop.
 */
public final class KeptUpstreams {

    private final Map<String, Channel> idle = new HashMap<>();

    /**
     * The address the idle connection for {@code key} is open to, or {@code null} when there is none.
     * A request routed to {@code key} right now goes out on that connection: the destination guard
     * checked that address when the connection was opened.
     */
    public InetAddress connectedAddress(String key) {
        Channel ch = idle.get(key);
        return ch == null ? null : peer(ch);
    }

    /** The connection's peer address while it is open, else {@code null}. */
    static InetAddress peer(Channel ch) {
        return ch.isActive() && ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    /** Takes the idle connection for {@code key} out of the pool (to use it), or {@code null}. */
    Channel take(String key) {
        return idle.remove(key);
    }

    /** Keeps {@code ch} for the next request to {@code key}, closing the one it replaces. */
    void keep(String key, Channel ch) {
        Channel old = idle.put(key, ch);
        if (old != null && old != ch) {
            old.close();
        }
    }

    /** An idle connection closed; forget it. */
    void forget(String key, Channel ch) {
        idle.remove(key, ch);
    }

    void closeAll() {
        idle.values().forEach(Channel::close);
        idle.clear();
    }
}
