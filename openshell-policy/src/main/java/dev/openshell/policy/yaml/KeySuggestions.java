package dev.openshell.policy.yaml;

import java.util.Collection;

/**
 * "Did you mean" for unknown names (policy keys, apply-file keys, commands): Levenshtein distance
 * up to 2, or a prefix relation.
 */
public final class KeySuggestions {

    private KeySuggestions() {}

    /** The closest known key, or null when none is close enough. */
    public static String closest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(unknown, k, 3);
            boolean prefix =
                    Math.min(unknown.length(), k.length()) >= 3 && (unknown.startsWith(k) || k.startsWith(unknown));
            if (d <= 2 || prefix) {
                int rank = d <= 2 ? d : 3;
                if (rank < bestDistance) {
                    best = k;
                    bestDistance = rank;
                }
            }
        }
        return best;
    }

    /** Levenshtein distance, giving up (returning {@code limit}) once it must exceed it. */
    static int distance(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) >= limit) {
            return limit;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return Math.min(prev[b.length()], limit);
    }
}
