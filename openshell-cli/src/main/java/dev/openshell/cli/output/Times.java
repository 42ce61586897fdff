package dev.openshell.cli.output;

import java.time.Duration;
import java.time.Instant;

/** Times for tables: ages and remaining times the way {@code kubectl} shows them ({@code 45s}, {@code 3m}, {@code 2h}, {@code 5d}). */
public final class Times {

    private Times() {}

    /** How long ago {@code then} was; empty when unknown. */
    public static String age(Instant then, Instant now) {
        return then == null ? "" : span(Duration.between(then, now));
    }

    /** {@code in 29d}, or {@code 3h ago} for a time past; empty when unknown. */
    public static String relative(Instant when, Instant now) {
        if (when == null) {
            return "";
        }
        Duration d = Duration.between(now, when);
        return d.isNegative() ? span(d.negated()) + " ago" : "in " + span(d);
    }

    static String span(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 120 * 60) {
            return s / 60 + "m";
        }
        if (s < 48 * 3600) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
