package dev.openshell.sandbox.proxy.admission;

import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.Layer;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.shared.ActivePolicy;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The connection-level decision, in order: who is calling (fail closed); whether any endpoint
 * could admit the host, port and caller at all (if not, the name is never resolved: a lookup of a
 * name the sandbox chose would carry data out); where the name points (resolved once per
 * connection and host, pinned); then the policy (destination guard and L4 rules) under the
 * generation active at that moment.
 */
public final class Admission {

    /**
     * The outcome of admitting one destination.
     *
     * @param caller the caller; empty when it could not be identified
     * @param request what was evaluated (addresses = the pinned DNS answer)
     * @param decision the L4 decision
     * @param policy the generation that decided; L7 decisions for the same request use it too
     * @param resolveError why the name does not resolve, when the policy allows the destination but
     *     its name does not
     */
    public record Result(
            Optional<CallerIdentity> caller,
            L4Request request,
            Decision decision,
            ActivePolicy policy,
            Optional<String> resolveError) {

        /** The caller's executable, or {@code null} (the denial body's {@code binary}) when unknown. */
        public String binary() {
            return caller.map(CallerIdentity::binary).orElse(null);
        }
    }

    private Admission() {}

    /** Admits {@code destination} for the session's caller; the future completes on {@code loop}. */
    public static CompletableFuture<Result> admit(
            ClientSession session, Destination destination, ProxyServices services, EventLoop loop) {
        return admit(session, destination, services, loop, null);
    }

    /**
     * Admits {@code destination} for a request that goes out on a kept-alive upstream connection
     * open to {@code connected} (or {@code null} for none): the destination guard does not ask the
     * kernel about that address again (see {@link
     * dev.openshell.policy.model.CompiledPolicy#evaluate(L4Request, InetAddress)}).
     */
    public static CompletableFuture<Result> admit(
            ClientSession session,
            Destination destination,
            ProxyServices services,
            EventLoop loop,
            InetAddress connected) {
        CompletableFuture<Result> done = new CompletableFuture<>();
        session.identity().whenComplete((caller, identityError) -> {
            if (identityError != null) {
                onLoop(loop, () -> done.complete(identityDenied(destination, unwrap(identityError), services)));
                return;
            }
            if (destination.literal() != null) {
                onLoop(
                        loop,
                        () -> done.complete(decide(
                                caller, destination, List.of(destination.literal()), null, services, connected)));
                return;
            }
            ActivePolicy policy = services.policy();
            L4Request unresolved = request(caller, destination, List.of());
            if (!policy.policy().mayAdmit(unresolved)) {
                onLoop(
                        loop,
                        () -> done.complete(new Result(
                                Optional.of(caller),
                                unresolved,
                                policy.policy().evaluate(unresolved),
                                policy,
                                Optional.empty())));
                return;
            }
            onLoop(
                    loop,
                    () -> session.resolve(destination.host())
                            .whenComplete((addresses, dnsError) -> onLoop(loop, () -> {
                                if (dnsError != null) {
                                    done.complete(decide(
                                            caller,
                                            destination,
                                            List.of(),
                                            unwrap(dnsError).getMessage(),
                                            services,
                                            connected));
                                } else {
                                    done.complete(decide(caller, destination, addresses, null, services, connected));
                                }
                            })));
        });
        return done;
    }

    /** Runs now when already on the loop (an identity answered inline), else hands over. */
    private static void onLoop(EventLoop loop, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    private static Result decide(
            CallerIdentity caller,
            Destination destination,
            List<InetAddress> addresses,
            String resolveError,
            ProxyServices services,
            InetAddress connected) {
        ActivePolicy policy = services.policy();
        L4Request request = request(caller, destination, addresses);
        Decision decision = policy.policy().evaluate(request, connected);
        if (resolveError != null && decision.permits()) {
            return new Result(
                    Optional.of(caller),
                    request,
                    decision,
                    policy,
                    Optional.of("cannot resolve " + destination.host()));
        }
        return new Result(Optional.of(caller), request, decision, policy, Optional.empty());
    }

    private static L4Request request(CallerIdentity caller, Destination destination, List<InetAddress> addresses) {
        return new L4Request(caller.binary(), caller.ancestors(), destination.host(), destination.port(), addresses);
    }

    private static Result identityDenied(Destination destination, Throwable error, ProxyServices services) {
        ActivePolicy policy = services.policy();
        Decision decision = Decision.deny(
                Layer.L4, "identity", "cannot establish which program opened this connection: " + error.getMessage());
        L4Request request = new L4Request("", List.of(), destination.host(), destination.port(), List.of());
        return new Result(Optional.empty(), request, decision, policy, Optional.empty());
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
