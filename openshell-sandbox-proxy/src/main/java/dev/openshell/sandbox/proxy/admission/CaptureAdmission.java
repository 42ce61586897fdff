package dev.openshell.sandbox.proxy.admission;

import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.shared.ActivePolicy;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The decision on a captured connection once its name is known, in order: who is calling (fail
 * closed), whether the name is a valid host name, the policy (the same evaluation as a {@code
 * CONNECT}, with the original destination as the only address), and only then, for a connection
 * the policy admits, whether the name resolves to the address connected to (else the name was
 * spoofed). A name the policy does not admit there is never looked up: the name is the sandbox's
 * choice, and a lookup of it would carry data out.
 */
public final class CaptureAdmission {

    /**
     * The outcome.
     *
     * @param caller the caller; empty when it could not be identified
     * @param host the destination name, normalised; as sent (made printable) when it is not a valid name
     * @param decision the decision as the client is told: the policy's, or a {@code bypass:} denial
     * @param admitted present when the connection may proceed; its addresses hold only the original
     *     destination
     * @param generation the policy generation that decided
     */
    public record Outcome(
            Optional<CallerIdentity> caller,
            String host,
            Decision decision,
            Optional<Admission.Result> admitted,
            long generation) {

        /** The caller's executable, or {@code null} (the denial body's {@code binary}) when unknown. */
        public String binary() {
            return caller.map(CallerIdentity::binary).orElse(null);
        }
    }

    /** Where the name came from, for messages: {@code SNI} or {@code the Host header}. */
    public enum Source {
        SNI("SNI"),
        HOST_HEADER("the Host header");

        private final String text;

        Source(String text) {
            this.text = text;
        }
    }

    private CaptureAdmission() {}

    /**
     * Decides on {@code name} for a connection to {@code original}; the future completes on {@code
     * loop}. The steps run on the blocking executor: the name check may wait for DNS.
     */
    public static CompletableFuture<Outcome> admit(
            CompletableFuture<CallerIdentity> identity,
            String name,
            Source source,
            InetSocketAddress original,
            ProxyServices services,
            EventLoop loop) {
        return identity.handleAsync(
                        (caller, error) -> decide(caller, error, name, source, original, services), services.blocking())
                .thenApplyAsync(outcome -> outcome, loop); // the caller acts on the connection's loop
    }

    private static Outcome decide(
            CallerIdentity caller,
            Throwable identityError,
            String name,
            Source source,
            InetSocketAddress original,
            ProxyServices services) {
        ActivePolicy policy = services.policy();
        long generation = policy.generation();
        InetAddress address = original.getAddress();
        Destination destination;
        try {
            // The policy sees the port actually connected to; a port in the Host header is the client's affair.
            String host = source == Source.HOST_HEADER
                    ? Destination.parseAuthority(name, 80).host()
                    : name;
            destination = Destination.of(host, original.getPort());
        } catch (IllegalArgumentException e) {
            return refused(
                    Optional.ofNullable(caller),
                    printable(name),
                    BypassReason.INVALID_NAME,
                    source.text + " names \"" + printable(name) + "\", which is not a valid host name",
                    generation);
        }
        if (identityError != null) {
            Throwable cause = identityError instanceof CompletionException c && c.getCause() != null
                    ? c.getCause()
                    : identityError;
            return refused(
                    Optional.empty(),
                    destination.host(),
                    BypassReason.IDENTITY,
                    "cannot establish which program opened this connection: " + cause.getMessage(),
                    generation);
        }
        if (destination.literal() != null && source == Source.SNI) {
            return refused(
                    Optional.of(caller),
                    destination.host(),
                    BypassReason.INVALID_NAME,
                    "SNI names the IP address " + destination.host() + "; a server name must be a host name",
                    generation);
        }
        L4Request request = new L4Request(
                caller.binary(), caller.ancestors(), destination.host(), destination.port(), List.of(address));
        Decision decision = policy.policy().evaluate(request);
        if (!decision.permits()) {
            return new Outcome(Optional.of(caller), destination.host(), decision, Optional.empty(), generation);
        }
        Misattribution spoofed = misattribution(destination, address, source, services);
        if (spoofed != null) {
            return refused(Optional.of(caller), destination.host(), spoofed.reason(), spoofed.detail(), generation);
        }
        return new Outcome(
                Optional.of(caller),
                destination.host(),
                decision,
                Optional.of(new Admission.Result(Optional.of(caller), request, decision, policy, Optional.empty())),
                generation);
    }

    /** Why a connection cannot be attributed to the name it gave: a {@link Bypass} reason and a sentence. */
    private record Misattribution(BypassReason reason, String detail) {}

    /** Why the connection cannot be attributed to the name, or null when the name resolves to the address. */
    private static Misattribution misattribution(
            Destination destination, InetAddress address, Source source, ProxyServices services) {
        List<InetAddress> resolved;
        if (destination.literal() != null) {
            resolved = List.of(destination.literal());
        } else {
            try {
                resolved = services.hostResolver().resolve(destination.host());
            } catch (UnknownHostException e) {
                return new Misattribution(
                        BypassReason.UNRESOLVABLE,
                        source.text + " names " + destination.host() + ", which does not resolve, so the connection to "
                                + address.getHostAddress() + " cannot be attributed to it");
            }
        }
        if (resolved.contains(address)) {
            return null;
        }
        return new Misattribution(
                BypassReason.NAME_MISMATCH,
                source.text + " names " + destination.host() + " but the connection was to " + address.getHostAddress()
                        + ", which " + destination.host() + " does not resolve to");
    }

    private static Outcome refused(
            Optional<CallerIdentity> caller, String host, BypassReason reason, String detail, long generation) {
        return new Outcome(caller, host, Bypass.deny(reason, detail), Optional.empty(), generation);
    }

    /** The name as it may appear in a log line: control characters and the like replaced, length capped. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 100; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x21 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
