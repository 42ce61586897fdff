package dev.openshell.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Quoted words reach a real {@code /bin/sh} as the very same bytes, whatever they hold. */
class ShellWordsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "with space",
                "it's",
                "'",
                "''",
                "$(touch /tmp/openshell-pwned)",
                "`id`",
                "a;b && c | d > e",
                "$HOME ${PATH} $1",
                "back\\slash",
                "new\nline",
                "*?[a-z]",
                "-n",
                "\"double\""
            })
    void aQuotedWordIsOneWordToTheShell(String word) throws Exception {
        Process p = new ProcessBuilder(List.of("/bin/sh", "-c", "printf %s " + ShellWords.quote(word))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out).isEqualTo(word);
    }
}
