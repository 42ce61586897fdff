package dev.openshell.policy.engine;

import java.util.Map;

/**
 * Endpoints keyed by a domain suffix, looked up by a region of the request host without
 * allocating a substring: the lookup hash is {@link String#hashCode} of the region, computed
 * incrementally while the host is walked from its end. Open addressing, immutable after
 * construction.
 */
final class SuffixTable {

    private final String[] keys;
    private final int[] hashes;
    private final CompiledEndpoint[][] values;
    private final int mask;
    private final boolean empty;

    SuffixTable(Map<String, CompiledEndpoint[]> entries) {
        int cap = Integer.highestOneBit(Math.max(4, entries.size() * 2) - 1) << 1;
        keys = new String[cap];
        hashes = new int[cap];
        values = new CompiledEndpoint[cap][];
        mask = cap - 1;
        empty = entries.isEmpty();
        entries.forEach((k, v) -> {
            int h = k.hashCode();
            int i = spread(h) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            hashes[i] = h;
            values[i] = v;
        });
    }

    boolean isEmpty() {
        return empty;
    }

    /** The endpoints for {@code host.substring(from)}, whose String hash is {@code hash}; or null. */
    CompiledEndpoint[] get(String host, int from, int hash) {
        int len = host.length() - from;
        int i = spread(hash) & mask;
        String k;
        while ((k = keys[i]) != null) {
            if (hashes[i] == hash && k.length() == len && host.startsWith(k, from)) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
