package dev.openshell.sandbox.proxy.http;

import dev.openshell.policy.model.Layer;
import dev.openshell.sandbox.proxy.admission.ClientSession;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Logs what the proxy refuses outside the policy (malformed heads and bodies, a {@code Host} that
 * is not the checked one, an upgrade it will not relay) as decisions, naming the program and the
 * destination whenever they are known, so that the sandbox log says who sent it where.
 */
public final class Refusals {

    /** How long a refusal waits for the caller's identity before it is logged without one. */
    static final Duration IDENTITY_WAIT = Duration.ofSeconds(1);

    private Refusals() {}

    /**
     * Logs a refusal whose caller is known (as far as it can be).
     *
     * @param host the destination, or {@code null} when none was named yet
     * @param inFlight the request refused, when its head was read; its method and target are logged
     */
    public static void log(
            ProxyServices services,
            Optional<CallerIdentity> caller,
            String host,
            int port,
            HttpRequest inFlight,
            RejectedRequest why,
            Layer layer,
            long startNanos) {
        Optional<HttpRequest> request = Optional.ofNullable(inFlight);
        services.logger()
                .log(new DecisionEntry(
                        caller,
                        Optional.ofNullable(host),
                        host == null ? 0 : port,
                        request.map(r -> r.method().name()),
                        request.map(HttpRequest::uri),
                        LimitDecisions.of(why, layer),
                        services.policy().generation(),
                        startNanos));
    }

    /**
     * Logs a refusal on a connection to the proxy itself once its caller is identified (the lookup
     * starts now if no request asked for it yet), or after {@link #IDENTITY_WAIT} without a name.
     * The future completes when the line is written.
     */
    public static CompletableFuture<Void> logOnceIdentified(
            ProxyServices services,
            Channel channel,
            String host,
            int port,
            HttpRequest inFlight,
            RejectedRequest why,
            long startNanos) {
        ClientSession session = ClientSession.of(channel);
        CompletableFuture<CallerIdentity> caller = session == null || !channel.isActive()
                ? CompletableFuture.completedFuture(session == null ? null : session.identityNow())
                : session.identity()
                        .exceptionally(e -> null)
                        .completeOnTimeout(null, IDENTITY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return caller.thenAccept(
                c -> log(services, Optional.ofNullable(c), host, port, inFlight, why, Layer.L4, startNanos));
    }
}
