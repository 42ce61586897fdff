package dev.openshell.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link PathGlob} with {@link ReferenceGlob} on thousands of random (glob, input) pairs
 * drawn from small alphabets full of glob syntax. The seed is printed in every failure so a run
 * can be replayed by setting {@code -Dglob.seed=N}.
 */
class PathGlobPropertyTest {

    private static final String GLOB_CHARS = "ab/*?[]-!^\\.";
    private static final String INPUT_CHARS = "ab/-!]\\.[*";
    private static final int CASES = 20_000;

    private static long seed() {
        String s = System.getProperty("glob.seed");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }

    @Test
    void pathGlobAgreesWithReference() {
        check(false, 10);
    }

    @Test
    void queryGlobAgreesWithReference() {
        check(true, 10);
    }

    @Test
    void longGlobsUseTheWideAutomatonAndStillAgree() {
        // Mostly literal text so that long globs still match often; 65+ positions exceed one long.
        check(false, 90);
    }

    private void check(boolean query, int maxLen) {
        long seed = seed();
        Random rnd = new Random(seed);
        int matched = 0;
        int cases = maxLen > 64 ? CASES / 5 : CASES;
        for (int n = 0; n < cases; n++) {
            boolean wide = maxLen > 64;
            String glob = wide
                    ? random(rnd, "aab/.-*?", 65 + rnd.nextInt(maxLen - 64))
                    : random(rnd, GLOB_CHARS, rnd.nextInt(maxLen + 1));
            String input =
                    rnd.nextInt(3) == 0 ? random(rnd, INPUT_CHARS, rnd.nextInt(12)) : instantiate(rnd, glob, !wide);
            boolean expected = ReferenceGlob.matches(glob, query, input);
            PathGlob compiled = query ? PathGlob.forQuery(glob) : PathGlob.compile(glob);
            assertThat(compiled.matches(input))
                    .as(
                            "seed=%d glob=\"%s\" input=\"%s\" query=%s regex=%s",
                            seed, glob, input, query, ReferenceGlob.toRegex(glob, query))
                    .isEqualTo(expected);
            if (expected) {
                matched++;
            }
        }
        // The generator must produce matches too, or the comparison proves little.
        assertThat(matched).as("seed=%d matches among %d cases", seed, cases).isGreaterThan(cases / 50);
    }

    private static String random(Random rnd, String alphabet, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** A string likely (not certain) to match: wildcards replaced by random text, classes by a char. */
    private static String instantiate(Random rnd, String glob, boolean noise) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> sb.append(random(rnd, "ab/", rnd.nextInt(4)));
                case '?' -> sb.append(random(rnd, "ab-", 1));
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        sb.append(glob.charAt(++i));
                    } else {
                        sb.append(c);
                    }
                }
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close > 0 && rnd.nextBoolean()) {
                        sb.append(glob.charAt(i + 1 + rnd.nextInt(close - i - 1)));
                        i = close;
                    } else {
                        sb.append(c);
                    }
                }
                default -> sb.append(c);
            }
            if (noise && rnd.nextInt(25) == 0) {
                sb.append(random(rnd, INPUT_CHARS, 1)); // occasional noise
            }
        }
        return sb.toString();
    }
}
