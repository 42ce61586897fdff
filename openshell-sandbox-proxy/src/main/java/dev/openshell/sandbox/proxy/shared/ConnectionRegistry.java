package dev.openshell.sandbox.proxy.shared;

import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The admitted tunnels, so that a policy reload can close those the new generation no longer
 * admits. A tunnel registers after admission; if a reload happened in between, registration
 * itself re-checks the tunnel against the newest generation.
 */
public final class ConnectionRegistry {

    /** One admitted tunnel. */
    public interface Tunnel {
        /** The connection as it was admitted. */
        L4Request request();

        /** Whether requests on it are evaluated at L7. A tunnel that is not cannot start being inspected. */
        boolean inspected();

        /**
         * Ends the tunnel because {@code decision} no longer admits it. A raw tunnel closes at once;
         * an inspected one finishes its in-flight request first. Completes when closed (or, for an
         * inspected tunnel with a request in flight, when the close is scheduled).
         */
        CompletableFuture<Void> revoke(Decision decision, long generation);
    }

    private final Set<Tunnel> live = ConcurrentHashMap.newKeySet();
    private final AtomicReference<ActivePolicy> active;

    public ConnectionRegistry(AtomicReference<ActivePolicy> active) {
        this.active = active;
    }

    /**
     * Tracks a tunnel admitted under {@code generation}. Returns {@code false} (and revokes it) when
     * a newer generation that no longer admits it became active in the meantime.
     */
    public boolean register(Tunnel tunnel, long generation) {
        live.add(tunnel);
        ActivePolicy now = active.get();
        if (now.generation() != generation) {
            Decision d = now.policy().evaluate(tunnel.request());
            if (!admits(d, tunnel)) {
                live.remove(tunnel);
                tunnel.revoke(d, now.generation());
                return false;
            }
        }
        return true;
    }

    public void unregister(Tunnel tunnel) {
        live.remove(tunnel);
    }

    public int size() {
        return live.size();
    }

    /** Revokes every tunnel {@code policy} does not admit; returns the revocations to await. */
    public List<CompletableFuture<Void>> revokeNotAdmitted(ActivePolicy policy) {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Tunnel t : live) {
            Decision d = policy.policy().evaluate(t.request());
            if (!admits(d, t)) {
                live.remove(t);
                closing.add(t.revoke(d, policy.generation()));
            }
        }
        return closing;
    }

    private static boolean admits(Decision d, Tunnel t) {
        // A raw tunnel whose endpoint now wants L7 inspection cannot be inspected mid-stream.
        return d.permits() && (t.inspected() || !d.inspect());
    }
}
