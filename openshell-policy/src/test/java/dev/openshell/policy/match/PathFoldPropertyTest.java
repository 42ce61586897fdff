package dev.openshell.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares {@link PathFold} with {@link ReferencePathFold} on random decoded paths built from
 * pieces that folding cares about (escapes, double escapes, full-width and case-mapping forms,
 * parameters, dots, blanks, hidden separators). Both must refuse the same paths and fold the rest
 * to the same text. Replay a failure with {@code -Dfold.seed=N}.
 */
class PathFoldPropertyTest {

    private static final String[] PIECES = {
        "a",
        "b",
        "B",
        "Z",
        "i",
        "I",
        "k",
        "s",
        "0",
        "-",
        "_",
        "~",
        ".",
        "..",
        ";",
        "x=1",
        " ",
        "+",
        "%",
        "%61",
        "%41",
        "%2e",
        "%2E",
        "%2561",
        "%252e",
        "%20",
        "%2520",
        "%3B",
        "%253B",
        "%3F",
        "%253F",
        "%23",
        "%2F",
        "%252F",
        "%5C",
        "%255C",
        "%00",
        "%2500",
        "%c0",
        "%C3%A9",
        "%c0%af",
        "%zz",
        "\u00a0",
        "\u3000",
        "\u0131",
        "\u0130",
        "\u017f",
        "\u212a",
        "\uff41",
        "\uff21",
        "\uff0e",
        "\uff0f",
        "\uff3c",
        "\uff1b",
        "\uff1f",
        "\uff05",
        "\u2025",
        "\u2026",
        ":",
        "::",
        ":$",
        "$",
        "%3A",
        "\u00e9",
        "\u00c9",
        "\u00df",
        "\u1e9e",
        "\ufb01",
        "\u0085",
        "\t",
        "\u200b",
        "\ud83d\ude00",
        "/",
        "//"
    };
    private static final int CASES = 50_000;

    @Test
    void foldAgreesWithReference() {
        String s = System.getProperty("fold.seed");
        long seed = s != null ? Long.parseLong(s) : System.nanoTime();
        Random rnd = new Random(seed);
        int folded = 0;
        int refused = 0;
        for (int n = 0; n < CASES; n++) {
            StringBuilder path = new StringBuilder("/");
            int pieces = rnd.nextInt(10);
            for (int i = 0; i < pieces; i++) {
                path.append(PIECES[rnd.nextInt(PIECES.length)]);
            }
            Optional<String> expected = ReferencePathFold.fold(path.toString());
            String actual;
            try {
                actual = PathFold.fold(path.toString());
            } catch (PathRefusal r) {
                actual = null;
            }
            assertThat(Optional.ofNullable(actual))
                    .as("seed=%d path=\"%s\"", seed, path)
                    .isEqualTo(expected);
            if (actual == null) {
                refused++;
            } else {
                folded++;
            }
        }
        assertThat(folded).as("seed=%d folded", seed).isGreaterThan(CASES / 4);
        assertThat(refused).as("seed=%d refused", seed).isGreaterThan(CASES / 20);
    }

    @Test
    void aFoldIsAFixedPointOfItself() {
        Random rnd = new Random(7);
        for (int n = 0; n < CASES; n++) {
            StringBuilder path = new StringBuilder("/");
            for (int i = rnd.nextInt(10); i > 0; i--) {
                path.append(PIECES[rnd.nextInt(PIECES.length)]);
            }
            String once;
            try {
                once = PathFold.fold(path.toString());
            } catch (PathRefusal r) {
                continue;
            }
            assertThat(PathFold.fold(once)).as("path=\"%s\"", path).isEqualTo(once);
        }
    }
}
