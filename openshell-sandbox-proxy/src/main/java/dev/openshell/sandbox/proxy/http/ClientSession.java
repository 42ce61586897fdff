package dev.openshell.sandbox.proxy.http;

import dev.openshell.sandbox.proxy.ProxyServices;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Per client connection state: who the caller is (looked up once, starting as soon as the
 * connection is accepted, off the event loop) and the DNS answers pinned for this connection.
 * Confined to the connection's event loop except for the identity future.
 */
public final class ClientSession {

    public static final AttributeKey<ClientSession> KEY = AttributeKey.valueOf("openshell.session");

    private final CompletableFuture<CallerIdentity> identity;
    private final Map<String, CompletableFuture<List<InetAddress>>> resolved = new HashMap<>();

    private ClientSession(CompletableFuture<CallerIdentity> identity) {
        this.identity = identity;
    }

    /** Starts identifying the caller of a freshly accepted channel and attaches the session to it. */
    public static ClientSession start(Channel channel, ProxyServices services) {
        CallerResolver resolver = services.config().callerResolver();
        InetSocketAddress client = (InetSocketAddress) channel.remoteAddress();
        InetSocketAddress proxy = (InetSocketAddress) channel.localAddress();
        CompletableFuture<CallerIdentity> identity =
                CompletableFuture.supplyAsync(() -> resolver.resolve(client, proxy), services.blocking());
        ClientSession session = new ClientSession(identity);
        channel.attr(KEY).set(session);
        return session;
    }

    public static ClientSession of(Channel channel) {
        return channel.attr(KEY).get();
    }

    public CompletableFuture<CallerIdentity> identity() {
        return identity;
    }

    /** The identity if already known, else {@code null}; never blocks. */
    public CallerIdentity identityNow() {
        return identity.isDone() && !identity.isCompletedExceptionally() ? identity.join() : null;
    }

    /** The pinned answer for {@code host}, resolving it on first use. Call on the event loop. */
    CompletableFuture<List<InetAddress>> resolve(String host, ProxyServices services) {
        return resolved.computeIfAbsent(
                host,
                h -> CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return services.config().hostResolver().resolve(h);
                            } catch (java.net.UnknownHostException e) {
                                throw new java.util.concurrent.CompletionException(e);
                            }
                        },
                        services.blocking()));
    }
}
