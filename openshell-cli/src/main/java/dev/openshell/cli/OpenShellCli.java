package dev.openshell.cli;

import dev.openshell.cli.completion.CompletionCommand;
import dev.openshell.cli.policy.PolicyCommand;
import dev.openshell.cli.run.CleanupCommand;
import dev.openshell.cli.run.RunCommand;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code openshell} command: entry point and root of the command tree. */
@Command(
        name = "openshell",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run AI agents in sandboxes whose network access is decided by a policy.",
        subcommands = {
            RunCommand.class,
            CleanupCommand.class,
            PolicyCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0   success (policy check: allowed)",
            "  1   policy check: denied",
            "  2   invalid input (unknown option, bad value, invalid policy file)",
            " 70   internal error (run again with --debug for the stack trace)"
        })
public final class OpenShellCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions globals;

    private final InputStream stdin;

    /** A root command reading {@code -} arguments from {@code stdin}. */
    public OpenShellCli(InputStream stdin) {
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.in).execute(args));
    }

    /**
     * The command tree with the short-error handlers installed; tests set its out and err
     * writers and call {@code execute}.
     */
    public static CommandLine commandLine(InputStream stdin) {
        ShortErrorHandler errors = new ShortErrorHandler();
        return new CommandLine(new OpenShellCli(stdin))
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }

    /** The root command of the tree {@code spec} belongs to. */
    public static OpenShellCli of(CommandSpec spec) {
        return (OpenShellCli) spec.root().userObject();
    }

    /** Where {@code -} (standard input) arguments are read from. */
    public InputStream stdin() {
        return stdin;
    }

    GlobalOptions globals() {
        return globals;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
