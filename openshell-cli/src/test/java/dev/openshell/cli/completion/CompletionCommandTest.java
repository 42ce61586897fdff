package dev.openshell.cli.completion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.ExitCodes;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {

    @Test
    void bashScriptCompletesTheCommandTree() {
        Result r = CliRunner.run("completion", "bash");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("complete -F _complete_openshell", "openshell")
                .contains("policy", "validate", "check", "--binary", "--ip");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void zshScriptSaysItRunsThroughBashcompinit() {
        Result r = CliRunner.run("completion", "zsh");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .startsWith("# zsh completion for openshell")
                .contains("bashcompinit", "_complete_openshell");
    }

    @Test
    void theScriptAlsoRegistersTheNameTheUserTyped() {
        String before = System.getProperty("openshell.invoked");
        try {
            System.setProperty("openshell.invoked", "bin/openshell");
            Result typed = CliRunner.run("completion", "bash");
            System.setProperty("openshell.invoked", "openshell");
            Result plain = CliRunner.run("completion", "bash");

            assertThat(typed.out()).endsWith("complete -o default -F _complete_openshell 'bin/openshell'\n");
            assertThat(plain.out()).doesNotContain("'openshell'");
        } finally {
            if (before == null) {
                System.clearProperty("openshell.invoked");
            } else {
                System.setProperty("openshell.invoked", before);
            }
        }
    }

    @Test
    void unknownShellIsAUsageError() {
        Result r = CliRunner.run("completion", "fish");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err()).contains("'fish'", "bash, zsh", "See 'openshell completion --help'.");
    }
}
