package dev.openshell.cli.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.openshell.cli.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bash completion script, sourced by a real bash and asked what completes a partly typed line. */
class CompletionScriptIT {

    @TempDir
    static Path dir;

    static Path script;

    @BeforeAll
    static void writeScript() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
        script = Files.writeString(
                dir.resolve("openshell.bash"),
                CliRunner.run("completion", "bash").out());
    }

    @Test
    void subcommandsOfTheGatewayCommandsComplete() throws Exception {
        assertThat(complete("openshell gateway s")).isEqualTo("start select stop");
        assertThat(complete("openshell sandbox cr")).isEqualTo("create");
        assertThat(complete("openshell gateway token ")).isEqualTo("create list revoke");
        assertThat(complete("openshell ap")).isEqualTo("apply");
    }

    @Test
    void optionsAndTheirValuesComplete() throws Exception {
        assertThat(complete("openshell apply --pr")).isEqualTo("--prune");
        assertThat(complete("openshell sandbox list -o ")).isEqualTo("table json yaml");
        assertThat(complete("openshell completion ")).isEqualTo("bash zsh");
    }

    /** What bash offers for {@code line} (completing its last word), space-separated. */
    private static String complete(String line) throws Exception {
        String program = """
                source "$1"
                read -ra COMP_WORDS <<< "$2"
                [[ "$2" == *" " ]] && COMP_WORDS+=("")
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
                COMP_LINE="$2"
                COMP_POINT=${#COMP_LINE}
                _complete_openshell 2>/dev/null
                echo "${COMPREPLY[*]}"
                """;
        Process p = new ProcessBuilder("/bin/bash", "-c", program, "bash", script.toString(), line)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }
}
