package dev.openshell.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link HostPattern} with a regex reference ({@code *.s} = {@code [^.]+\.s}, {@code
 * **.s} = {@code .+\.s}, exact = equality) on random hosts over a tiny label alphabet, so that
 * suffix collisions ({@code ab.b} vs {@code b.b}) are frequent. Seed printed on failure.
 */
class HostPatternPropertyTest {

    @Test
    void agreesWithReference() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        int matched = 0;
        for (int n = 0; n < 20_000; n++) {
            String suffix = host(rnd, 2 + rnd.nextInt(2));
            int kind = rnd.nextInt(3);
            String pattern = kind == 0 ? suffix : (kind == 1 ? "*." : "**.") + suffix;
            String candidate = rnd.nextInt(4) == 0 ? host(rnd, 1 + rnd.nextInt(5)) : host(rnd, rnd.nextInt(3)) + suffix;
            if (candidate.startsWith(".")) {
                candidate = candidate.substring(1);
            }
            if (candidate.isEmpty()) {
                continue;
            }
            String q = Pattern.quote(suffix);
            String regex = kind == 0 ? q : (kind == 1 ? "[^.]+\\." + q : ".+\\." + q);
            boolean expected = Pattern.matches(regex, candidate);
            assertThat(HostPattern.of(pattern).matches(candidate))
                    .as("seed=%d pattern=%s host=%s", seed, pattern, candidate)
                    .isEqualTo(expected);
            if (expected) {
                matched++;
            }
        }
        assertThat(matched).as("seed=%d", seed).isGreaterThan(1000);
    }

    /** {@code labels} labels of 1-2 chars from {a, b}, each followed by a dot except the last. */
    private static String host(Random rnd, int labels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            int len = 1 + rnd.nextInt(2);
            for (int k = 0; k < len; k++) {
                sb.append(rnd.nextBoolean() ? 'a' : 'b');
            }
            sb.append('.');
        }
        return sb.toString().isEmpty() ? "" : sb.substring(0, sb.length() - 1) + (labels > 0 ? "." : "");
    }
}
