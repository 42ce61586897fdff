package dev.openshell.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void plainWordsStayAsTheyAre() {
        assertThat(ShellWords.join(List.of("ls", "-la", "/tmp/a_b.c", "k=v"))).isEqualTo("ls -la /tmp/a_b.c k=v");
    }

    @Test
    void everythingElseIsSingleQuoted() {
        assertThat(ShellWords.quote("")).isEqualTo("''");
        assertThat(ShellWords.quote("a b")).isEqualTo("'a b'");
        assertThat(ShellWords.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(ShellWords.quote("$(rm -rf /)")).isEqualTo("'$(rm -rf /)'");
    }

    @Test
    void aRealShellSplitsTheLineBackIntoTheSameWords() throws IOException, InterruptedException {
        List<String> words =
                List.of("printf", "%s\\n", "", "a b", "it's", "$HOME", "`id`", "x;y", "*", "line\nbreak", "ü");
        Process sh = new ProcessBuilder("/bin/sh", "-c", ShellWords.join(words)).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        sh.waitFor();

        assertThat(out).isEqualTo(String.join("\n", words.subList(2, words.size())) + "\n");
    }

    @Test
    void anEmptyCommandIsRefused() {
        assertThatThrownBy(() -> ShellWords.join(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
