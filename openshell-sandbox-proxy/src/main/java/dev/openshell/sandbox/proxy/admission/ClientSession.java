package dev.openshell.sandbox.proxy.admission;

import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Per client connection state: who the caller is (looked up once, off the event loop, when the
 * first complete request arrives, so that connections that never send one cost no {@code /proc}
 * scan) and the DNS answers pinned for this connection. Confined to the connection's event loop.
 */
public final class ClientSession {

    public static final AttributeKey<ClientSession> KEY = AttributeKey.valueOf("openshell.session");

    private final Channel channel;
    private final ProxyServices services;
    private final Map<String, CompletableFuture<List<InetAddress>>> resolved = new HashMap<>();
    private CompletableFuture<CallerIdentity> identity;

    private ClientSession(Channel channel, ProxyServices services) {
        this.channel = channel;
        this.services = services;
    }

    /** Attaches a session to a freshly accepted channel. */
    public static ClientSession start(Channel channel, ProxyServices services) {
        ClientSession session = new ClientSession(channel, services);
        channel.attr(KEY).set(session);
        channel.closeFuture().addListener(f -> session.closed());
        return session;
    }

    public static ClientSession of(Channel channel) {
        return channel.attr(KEY).get();
    }

    /**
     * The caller, identified on first use. Call on the event loop. A recent owner is confirmed right
     * here (a few small procfs reads: cheaper than two thread hand-offs); a scan or a hash runs on
     * the blocking executor.
     */
    public CompletableFuture<CallerIdentity> identity() {
        if (identity == null) {
            CallerResolver resolver = services.callerResolver();
            InetSocketAddress client = (InetSocketAddress) channel.remoteAddress();
            InetSocketAddress proxy = (InetSocketAddress) channel.localAddress();
            CallerIdentity quick;
            try {
                quick = resolver.resolveQuickly(client, proxy);
            } catch (RuntimeException e) {
                identity = CompletableFuture.failedFuture(e);
                return identity;
            }
            identity = quick != null
                    ? CompletableFuture.completedFuture(quick)
                    : CompletableFuture.supplyAsync(() -> resolver.resolve(client, proxy), services.blocking());
        }
        return identity;
    }

    private void closed() {
        if (identity != null) {
            services.callerResolver().released((InetSocketAddress) channel.remoteAddress());
        }
    }

    /** The identity if already known, else {@code null}; never blocks. */
    public CallerIdentity identityNow() {
        return identity != null && identity.isDone() && !identity.isCompletedExceptionally() ? identity.join() : null;
    }

    /** The pinned answer for {@code host}, resolving it on first use. Call on the event loop. */
    CompletableFuture<List<InetAddress>> resolve(String host) {
        return resolved.computeIfAbsent(
                host,
                h -> CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return services.hostResolver().resolve(h);
                            } catch (java.net.UnknownHostException e) {
                                throw new java.util.concurrent.CompletionException(e);
                            }
                        },
                        services.blocking()));
    }
}
