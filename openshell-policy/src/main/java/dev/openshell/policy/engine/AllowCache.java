package dev.openshell.policy.engine;

import dev.openshell.policy.match.RequestHost;
import dev.openshell.policy.model.Decision;

/**
 * L4 allow decisions already built, so a connection that repeats an earlier one (same endpoint,
 * host, port, binary and matching binary) gets the same {@link Decision} instead of a freshly
 * built reason sentence. Bounded: a fixed table of two-slot buckets where a newer decision
 * replaces the older one of its bucket.
 *
 * <p>Thread-safe without locks: slots hold immutable entries whose fields are final, so a thread
 * that reads a slot another thread is writing sees either the old or the new entry, whole, and a
 * lost write only costs a rebuild.
 */
final class AllowCache {

    private record Entry(CompiledEndpoint endpoint, String host, int port, String binary, String matched, Decision d) {}

    private static final int MIN_SLOTS = 256;
    private static final int MAX_SLOTS = 16384;

    private final Entry[] slots;
    private final int mask;

    /** A table sized for a policy with {@code endpoints} endpoints (eight slots each, bounded). */
    AllowCache(int endpoints) {
        int want = Math.clamp(endpoints * 8L, MIN_SLOTS, MAX_SLOTS);
        int size = Integer.highestOneBit(want - 1) << 1;
        this.slots = new Entry[size];
        this.mask = size - 1;
    }

    /** The decision that {@code e} allows {@code binary} (via {@code matched}) to reach host:port. */
    Decision allowL4(CompiledEndpoint e, RequestHost host, int port, String binary, String matched) {
        String name = host.name();
        int h = e.ordinal * 0x9e3779b9 + name.hashCode() * 31 + binary.hashCode() + port;
        int i = (h ^ (h >>> 16)) & mask & ~1;
        Entry x = slots[i];
        Entry y = slots[i + 1];
        if (hit(x, e, name, port, binary, matched)) {
            return x.d;
        }
        if (hit(y, e, name, port, binary, matched)) {
            return y.d;
        }
        Decision d = Reasons.allowL4(e, host.withPort(port), binary, matched, e.rest);
        Entry fresh = new Entry(e, name, port, binary, matched, d);
        // Keep the most recent entry in the first slot, the one before it in the second.
        slots[i + 1] = x;
        slots[i] = fresh;
        return d;
    }

    private static boolean hit(Entry x, CompiledEndpoint e, String host, int port, String binary, String matched) {
        return x != null
                && x.endpoint == e
                && x.port == port
                && x.host.equals(host)
                && x.binary.equals(binary)
                && x.matched.equals(matched);
    }
}
