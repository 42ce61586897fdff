package dev.openshell.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.support.CliEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A run builds only the top-level commands its arguments name ({@link OpenShellCli#commandLine(
 * CliEnvironment, String[])}); what the user sees must be what the whole tree would show.
 */
class LazyCommandTreeTest {

    private static final CliEnvironment ENV = CliRunner.env(Map.of(), "", e -> e);

    @Test
    void rootHelpAndVersionAreTheWholeTreesOwn() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"--version"}, new String[] {})) {
            assertThat(runLazily(args)).as(String.join(" ", args)).isEqualTo(runOnWholeTree(args));
        }
    }

    @Test
    void everyCommandsHelpIsTheWholeTreesOwn() {
        for (String name : topLevelNames()) {
            for (String[] args : List.of(new String[] {name, "--help"}, new String[] {"help", name})) {
                assertThat(runLazily(args)).as(String.join(" ", args)).isEqualTo(runOnWholeTree(args));
            }
        }
    }

    @Test
    void aMistypedCommandGetsTheSameSuggestion() {
        String[] args = {"sandbx", "list"};
        assertThat(runLazily(args)).isEqualTo(runOnWholeTree(args));
    }

    @Test
    void onlyTheNamedCommandIsBuilt() {
        CommandLine lazy = OpenShellCli.commandLine(ENV, new String[] {"policy", "validate", "x.yaml"});

        assertThat(lazy.getSubcommands().get("policy").getSubcommands()).containsKey("validate");
        assertThat(lazy.getSubcommands().get("sandbox").getSubcommands()).isEmpty();
        assertThat(lazy.getSubcommands()
                        .get("sandbox")
                        .getCommandSpec()
                        .usageMessage()
                        .description())
                .isNotEmpty();
    }

    @Test
    void completionSeesEveryCommand() {
        CommandLine lazy = OpenShellCli.commandLine(ENV, new String[] {"completion"});

        assertThat(lazy.getSubcommands().get("sandbox").getSubcommands()).isNotEmpty();
    }

    private static List<String> topLevelNames() {
        List<String> names = new ArrayList<>();
        for (var entry : OpenShellCli.commandLine(ENV).getSubcommands().entrySet()) {
            if (entry.getValue().getCommandName().equals(entry.getKey())) {
                names.add(entry.getKey());
            }
        }
        return names;
    }

    private static String runLazily(String... args) {
        return run(OpenShellCli.commandLine(ENV, args), args);
    }

    private static String runOnWholeTree(String... args) {
        return run(OpenShellCli.commandLine(ENV), args);
    }

    private static String run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return exit + "\n" + out + "\n--- stderr\n" + err;
    }
}
