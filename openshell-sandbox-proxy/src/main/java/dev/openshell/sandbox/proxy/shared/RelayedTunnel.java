package dev.openshell.sandbox.proxy.shared;

import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * A connection relayed byte for byte between the client and the upstream (a {@code CONNECT}
 * tunnel or a captured connection, neither inspected at L7): revoking it, on a policy reload that
 * no longer admits it, closes both sides at once.
 */
public record RelayedTunnel(Channel client, Channel upstream, L4Request request) implements ConnectionRegistry.Tunnel {

    @Override
    public boolean inspected() {
        return false;
    }

    @Override
    public CompletableFuture<Void> revoke(Decision decision, long generation) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        upstream.close();
        client.close().addListener(f -> done.complete(null));
        return done;
    }
}
