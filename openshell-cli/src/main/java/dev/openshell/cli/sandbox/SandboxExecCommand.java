package dev.openshell.cli.sandbox;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.validation.DurationText;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.support.CliEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openshell sandbox exec NAME [-i] [-t] [--timeout D] -- CMD...}: runs a command in a Ready
 * sandbox over the gateway's streaming exec and exits with its exit status.
 */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Run a command in a Ready sandbox, confined like its agent; its output arrives as it is written"
                    + " (standard output and standard error apart) and openshell exits with its exit status.",
            "-i passes standard input to the command; -t gives it a terminal (raw mode here, window size"
                    + " changes passed on, the terminal restored when it ends). -it for an interactive shell."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell sandbox exec demo -- curl -sS https://example.com",
            "  echo hi | openshell sandbox exec -i demo -- cat",
            "  openshell sandbox exec -it demo -- bash"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "N:the command's own exit status",
            "124:the command ran past --timeout and was killed",
            "3:no such sandbox",
            "4:the sandbox is not Ready"
        })
public final class SandboxExecCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Parameters(
            index = "1..*",
            arity = "1..*",
            paramLabel = "CMD",
            description = "The command and its arguments (after --).")
    private List<String> command = new ArrayList<>();

    @Option(
            names = {"-i", "--stdin"},
            description = "Pass standard input to the command.")
    private boolean stdin;

    @Option(
            names = {"-t", "--tty"},
            description = "Give the command a terminal (its output is then one stream).")
    private boolean tty;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Kill the command after this long (default: never).")
    private String timeout;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        Duration limit = timeout == null ? null : DurationText.parse("--timeout", timeout);
        CliEnvironment env = OpenShellCli.of(spec).environment();
        boolean localTerminal = env.interactive() && CliEnvironment.isTerminal(0);
        ExecAttach attach = new ExecAttach(command, tty, localTerminal, stdin ? env.stdin() : null, limit);
        try (GatewayClient gw = gateway.connect()) {
            return attach.attach(
                    gw, name, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
