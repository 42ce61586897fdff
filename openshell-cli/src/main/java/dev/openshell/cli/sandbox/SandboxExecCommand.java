package dev.openshell.cli.sandbox;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.ExecResult;
import dev.openshell.api.validation.DurationText;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
 * {@code openshell sandbox exec NAME [-i] [--timeout D] -- CMD...}: runs a command in a Ready
 * sandbox and exits with its exit status. Today through the gateway's non-streaming exec: output
 * comes when the command ends; {@code --tty} and streamed output come with the streaming exec.
 */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Run a command in a Ready sandbox; its standard output and error are printed apart when it ends, and"
                    + " openshell exits with its exit status.",
            "With -i, standard input (up to 1 MiB) is the command's input."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell sandbox exec demo -- curl -sS https://example.com",
            "  echo hi | openshell sandbox exec -i demo -- cat"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "N:the command's own exit status",
            "124:the command ran past --timeout and was killed",
            "3:no such sandbox",
            "4:the sandbox is not Ready"
        })
public final class SandboxExecCommand implements Callable<Integer> {

    /** Without --timeout the gateway applies its own (60 s by default, at most 1 h); the client waits out the longest. */
    private static final Duration LONGEST_EXEC = Duration.ofHours(1);

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
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Kill the command after this long (default: the gateway's, 60s).")
    private String timeout;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        Duration limit = timeout == null ? null : DurationText.parse("--timeout", timeout);
        ExecRequest request = new ExecRequest(command, stdin ? readStdin() : null, limit);
        request.validate();
        Duration wait = (limit != null ? limit : LONGEST_EXEC).plusSeconds(30);
        try (GatewayClient gw = gateway.connect(wait)) {
            ExecResult r = gw.sandboxes().exec(name, request, RequestOptions.NONE);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            out.print(r.stdout());
            out.flush();
            err.print(r.stderr());
            if (r.timedOut()) {
                err.println("openshell: the command ran past its timeout"
                        + (limit != null ? " of " + DurationText.format(limit) : "") + " and was killed");
            }
            err.flush();
            return r.timedOut() ? ErrorCode.TIMEOUT.exitCode() : r.exitCode();
        }
    }

    private String readStdin() {
        try {
            byte[] in = OpenShellCli.of(spec).stdin().readNBytes(ExecRequest.MAX_STDIN + 1);
            if (in.length > ExecRequest.MAX_STDIN) {
                throw CliErrors.usage(
                        "standard input is larger than 1 MiB", "pass large input as a file in the sandbox's workspace");
            }
            return new String(in, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliErrors.usage("cannot read standard input: " + e.getMessage(), "check what is piped in");
        }
    }
}
