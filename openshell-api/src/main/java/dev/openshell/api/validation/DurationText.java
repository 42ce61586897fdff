package dev.openshell.api.validation;

import dev.openshell.api.ApiException;
import dev.openshell.api.SafeText;
import java.time.Duration;
import java.util.Optional;

/**
 * Durations as people type them: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 30d}, {@code
 * 2w}, {@code 250ms}. Numbers are ASCII digits, units from largest to smallest, each at most once.
 * A duration is longer than zero and at most {@link #MAX} (ten years). JSON carries durations in
 * this form too ({@code "timeout": "30s"}).
 */
public final class DurationText {

    /** The longest duration accepted. */
    public static final Duration MAX = Duration.ofDays(3650);

    private static final int MAX_TEXT = 32;
    private static final int MAX_DIGITS = 9;

    private enum Unit {
        W("w", Duration.ofDays(7)),
        D("d", Duration.ofDays(1)),
        H("h", Duration.ofHours(1)),
        M("m", Duration.ofMinutes(1)),
        S("s", Duration.ofSeconds(1)),
        MS("ms", Duration.ofMillis(1));

        final String symbol;
        final Duration length;

        Unit(String symbol, Duration length) {
            this.symbol = symbol;
            this.length = length;
        }
    }

    private DurationText() {}

    /** Parses {@code text}; a bad value is a validation error for {@code field}. */
    public static Duration parse(String field, String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, e.getMessage());
        }
    }

    /** What is wrong with {@code text}, or empty when it is a valid duration. */
    public static Optional<String> violation(String text) {
        try {
            parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Parses {@code text}, or throws {@link IllegalArgumentException} with a one-line reason. */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("a duration must not be empty (examples: 30s, 5m, 1h30m, 30d)");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException(
                    "duration " + SafeText.quote(text) + " is too long (" + text.length() + " characters)");
        }
        Duration total = Duration.ZERO;
        int previous = -1;
        int i = 0;
        while (i < text.length()) {
            int digitsStart = i;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            if (i == digitsStart) {
                throw bad(text, "expected a number at position " + (i + 1));
            }
            if (i - digitsStart > MAX_DIGITS) {
                throw bad(text, "the number is too large");
            }
            long amount = Long.parseLong(text, digitsStart, i, 10);
            Unit unit = unitAt(text, i);
            if (unit == null) {
                throw bad(text, "expected a unit (ms, s, m, h, d, w) at position " + (i + 1));
            }
            if (unit.ordinal() <= previous) {
                throw bad(text, "units go from largest to smallest, each once (e.g. 1h30m)");
            }
            previous = unit.ordinal();
            i += unit.symbol.length();
            total = total.plus(unit.length.multipliedBy(amount));
            if (total.compareTo(MAX) > 0) {
                throw bad(text, "longer than the maximum of " + format(MAX));
            }
        }
        if (total.isZero()) {
            throw bad(text, "must be longer than zero");
        }
        return total;
    }

    /**
     * The shortest spelling of {@code d} in the units above ({@code 90s} → {@code 1m30s}). A
     * duration that is not positive or has a part below a millisecond is written ISO-8601 ({@code
     * PT0.0000001S}), which the JSON reader also accepts.
     */
    public static String format(Duration d) {
        if (d.isNegative() || d.isZero() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        StringBuilder out = new StringBuilder();
        Duration rest = d;
        for (Unit unit : Unit.values()) {
            if (unit == Unit.W) {
                continue; // "14d" reads better than "2w"
            }
            long amount = rest.dividedBy(unit.length);
            if (amount > 0) {
                out.append(amount).append(unit.symbol);
                rest = rest.minus(unit.length.multipliedBy(amount));
            }
        }
        return out.toString();
    }

    private static Unit unitAt(String text, int i) {
        if (text.startsWith("ms", i)) {
            return Unit.MS;
        }
        for (Unit unit : Unit.values()) {
            if (unit != Unit.MS && text.startsWith(unit.symbol, i)) {
                return unit;
            }
        }
        return null;
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("duration " + SafeText.quote(text) + ": " + why);
    }
}
