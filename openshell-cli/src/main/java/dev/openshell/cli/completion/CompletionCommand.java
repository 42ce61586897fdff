package dev.openshell.cli.completion;

import dev.openshell.cli.ExitCodes;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell completion bash|zsh}: prints a shell completion script. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print a completion script for bash or zsh.",
            "bash:  source <(openshell completion bash)",
            "zsh:   source <(openshell completion zsh)"
        })
public final class CompletionCommand implements Callable<Integer> {

    /** Shells with a completion script. */
    public enum Shell {
        bash,
        zsh
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions globals;

    @Parameters(index = "0", paramLabel = "SHELL", description = "One of: ${COMPLETION-CANDIDATES}.")
    private Shell shell;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash(root.getCommandName(), root);
        PrintWriter out = spec.commandLine().getOut();
        if (shell == Shell.zsh) {
            // picocli's script loads bashcompinit itself when it finds it runs under zsh.
            out.println("# zsh completion for openshell: the bash completion script, which runs in zsh");
            out.println("# through bashcompinit (it calls compinit and bashcompinit itself).");
            out.println("# Use:  source <(openshell completion zsh)");
        }
        out.print(script);
        invokedName().ifPresent(name -> out.println("complete -o default -F _complete_openshell " + shellQuoted(name)));
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The name the user typed when it is not plain {@code openshell} ({@code bin/openshell}, a
     * symlink): bash completes a command by the word typed, so the script registers that too.
     * {@code bin/openshell} passes it as the system property {@code openshell.invoked}.
     */
    static java.util.Optional<String> invokedName() {
        String name = System.getProperty("openshell.invoked", "");
        if (name.isBlank() || name.equals("openshell") || name.contains("\n")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(name);
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
