package dev.openshell.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliEnvironment;
import java.io.ByteArrayInputStream;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class OpenShellCliTest {

    @Test
    void versionNamesReleaseAndJava() {
        Result r = CliRunner.run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("openshell ").contains("Java " + Runtime.version());
        assertThat(r.err()).isEmpty();
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Result r = CliRunner.run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("policy", "completion", "--output", "--gateway", "--debug", "Exit codes:");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : new String[][] {
            {"policy", "--help"},
            {"policy", "validate", "--help"},
            {"policy", "check", "--help"},
            {"completion", "-h"},
            {"cleanup", "--help"}
        }) {
            Result r = CliRunner.run(cmd);
            assertThat(r.exitCode()).as(String.join(" ", cmd)).isZero();
            assertThat(r.out()).as(String.join(" ", cmd)).startsWith("Usage: openshell " + cmd[0]);
        }
    }

    @Test
    void runGetsATreeOfItsOwnThatHelpsAndComplainsAsTheWholeTreeDoes() {
        CliEnvironment env = CliEnvironment.of(new ByteArrayInputStream(new byte[0]), System.getenv());

        var tree = OpenShellCli.commandLine(env, new String[] {"run", "--", "true"});
        assertThat(tree.getSubcommands().get("run").getCommandSpec().findOption("--policy"))
                .isNotNull();
        assertThat(tree.getSubcommands().get("sandbox").getSubcommands())
                .as("the other commands are outlines only")
                .isEmpty();
        Result own = CliRunner.run("run", "--help");
        Result whole = CliRunner.run("help", "run");
        assertThat(own.exitCode()).isZero();
        assertThat(own.out()).startsWith("Usage: openshell run").isEqualTo(whole.out());
        Result unknown = CliRunner.run("run", "--frobnicate", "--", "true");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(unknown.err().lines())
                .containsExactly("error: Unknown option: '--frobnicate'", "See 'openshell run --help'.");
    }

    @Test
    void noArgumentsPrintsUsage() {
        Result r = CliRunner.run();

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: openshell");
    }

    @Test
    void unknownOptionIsOneLineAndAHint() {
        Result r = CliRunner.run("policy", "validate", "--frobnicate", "x.yaml");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines())
                .containsExactly("error: Unknown option: '--frobnicate'", "See 'openshell policy validate --help'.");
    }

    @Test
    void misspelledOptionGetsASuggestion() {
        Result r = CliRunner.run("policy", "check", "f.yaml", "--binary", "/b", "--hots", "h", "--port", "1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err()).contains("'--hots'", "did you mean --host?");
    }

    @Test
    void helpCommandShowsTheUsageOfTheCommandNamed() {
        Result run = CliRunner.run("help", "run");
        Result cleanup = CliRunner.run("help", "cleanup");
        Result root = CliRunner.run("help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: openshell run ");
        assertThat(cleanup.out()).startsWith("Usage: openshell cleanup ");
        assertThat(root.exitCode()).isZero();
        assertThat(root.out()).startsWith("Usage: openshell ").contains("run", "cleanup", "policy", "help");
    }

    @Test
    void unknownCommandIsNamed() {
        Result r = CliRunner.run("polcy");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines())
                .containsExactly("error: unknown command 'polcy'; did you mean policy?", "See 'openshell --help'.");
    }

    @Test
    void aSwappedLetterSuggestsTheCommandMeantNotOneSharingLetterPairs() {
        assertThat(CliRunner.run("rnu").err()).startsWith("error: unknown command 'rnu'; did you mean run?");
        assertThat(CliRunner.run("sandbx").err()).startsWith("error: unknown command 'sandbx'; did you mean sandbox?");
        assertThat(CliRunner.run("policy", "chekc").err()).contains("did you mean check?");
    }

    @Test
    void groupWithoutSubcommandIsAUsageError() {
        Result r = CliRunner.run("policy");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines())
                .containsExactly(
                        "error: missing subcommand: choose one of get, set, update, list, diff, validate, check",
                        "See 'openshell policy --help'.");
    }

    @Test
    void debugShowsTheStackTraceOfAUsageError() {
        Result r = CliRunner.run("--debug", "policy", "validate", "--frobnicate", "x.yaml");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("UnmatchedArgumentException", "\tat picocli.CommandLine");
        assertThat(r.err()).contains("error: Unknown option: '--frobnicate'");
    }

    @Test
    void internalErrorIsOneLineWithoutDebug() {
        Result r = CliRunner.run("", cli -> cli.addSubcommand(new Failing()), "fail");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(r.err().lines())
                .containsExactly(
                        "error: internal error: IllegalStateException: the disk is on fire",
                        "Run again with --debug to see the stack trace.");
    }

    @Test
    void internalErrorShowsTheStackTraceWithDebugAfterTheSubcommand() {
        Result r = CliRunner.run("", cli -> cli.addSubcommand(new Failing()), "fail", "--debug");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(r.err())
                .contains("java.lang.IllegalStateException: the disk is on fire", "\tat dev.openshell.cli.")
                .contains("error: internal error: IllegalStateException: the disk is on fire");
    }

    @Test
    void globalOptionsAreAcceptedBeforeAndAfterTheSubcommand() {
        Result before = CliRunner.run("", cli -> cli.addSubcommand(new Echo()), "-o", "yaml", "-g", "prod", "echo");
        Result after =
                CliRunner.run("", cli -> cli.addSubcommand(new Echo()), "echo", "--output=json", "--gateway", "dev");
        Result none = CliRunner.run("", cli -> cli.addSubcommand(new Echo()), "echo");

        assertThat(before.out()).isEqualTo("yaml prod false\n");
        assertThat(after.out()).isEqualTo("json dev false\n");
        assertThat(none.out()).startsWith("table ");
    }

    /** A command whose business logic fails unexpectedly. */
    @Command(name = "fail")
    static final class Failing implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        GlobalOptions globals;

        @Override
        public Integer call() {
            throw new IllegalStateException("the disk is on fire");
        }
    }

    /** Prints the global options it sees. */
    @Command(name = "echo")
    static final class Echo implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        GlobalOptions globals;

        @picocli.CommandLine.Mixin
        GatewayOption gateway;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine()
                    .getOut()
                    .println(globals.output().spelling() + " " + gateway.requested() + " " + globals.debug());
            return 0;
        }
    }
}
