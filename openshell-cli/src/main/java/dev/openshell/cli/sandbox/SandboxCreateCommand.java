package dev.openshell.cli.sandbox;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.policy.PolicyDocument;
import dev.openshell.cli.support.CliEnvironment;
import dev.openshell.cli.support.CliErrors;
import java.nio.file.Path;
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
 * {@code openshell sandbox create [--name N] [--policy F] [--provider P]... [--env K=V]...
 * [--label k=v]... [--memory S --cpus N --pids N] [--detach] [-- CMD...]}: creates a sandbox and
 * waits until it is Ready. With {@code --detach} the command is the sandbox's main process (its
 * agent); without, the sandbox idles and the command runs attached to this terminal over the
 * streaming exec ({@link ExecAttach}), like {@code docker run -it}, and the sandbox stays for more.
 */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Create a sandbox on the gateway and wait until it is Ready.",
            "With a command and without --detach, the command runs attached: on a terminal it gets one (-- bash is"
                    + " an interactive shell), else standard output and standard error stay apart and -i passes"
                    + " standard input; openshell exits with the command's exit status and the sandbox stays Ready."
                    + " With --detach the command is the sandbox's main process and runs on in the background.",
            "Without --policy the sandbox has no network. Values of --env are never shown again; hand credentials"
                    + " in with --provider."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell sandbox create --name demo -- bash",
            "  openshell sandbox create --name demo --detach -- python3 agent.py",
            "  openshell sandbox create --policy allow-example.yaml -- curl -sS https://example.com",
            "  openshell sandbox create --name ml --label team=ml --memory 2g --cpus 1 --provider openai --detach"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:created and Ready (--detach, or no command)",
            "N:the command's exit status (when attached)",
            "2:bad usage, an invalid policy",
            "4:a sandbox of that name exists",
            "124:not Ready in time",
            "125:the sandbox failed (its reason is printed)"
        })
public final class SandboxCreateCommand implements Callable<Integer> {

    /** How long the gateway may take to make the sandbox Ready (its own limit is 120 s by default). */
    private static final Duration CREATE_TIMEOUT = Duration.ofMinutes(5);

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", description = "Name (a DNS label; default: generated).")
    private String name;

    @Option(
            names = "--from",
            paramLabel = "IMAGE",
            description = "Image to run (drivers with images; the local driver runs the host's filesystem).")
    private String image;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Policy YAML, or - for standard input (default: no network).")
    private Path policy;

    @Option(
            names = "--provider",
            paramLabel = "NAME",
            description = "A provider whose credentials the sandbox gets; repeatable.")
    private List<String> providers = new ArrayList<>();

    @Option(
            names = {"-e", "--env"},
            paramLabel = "KEY=VALUE",
            description = "Environment variable for the command; KEY alone takes this shell's value. Repeatable.")
    private List<String> env = new ArrayList<>();

    @Option(
            names = {"-l", "--label"},
            paramLabel = "KEY=VALUE",
            description = "Label (for sandbox list --selector); repeatable.")
    private List<String> labels = new ArrayList<>();

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory limit: 512m, 2g (default: the driver's).")
    private String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit in cores: 0.5, 2 (default: the driver's).")
    private Double cpus;

    @Option(
            names = "--pids",
            paramLabel = "N",
            description = "Most processes and threads at once (default: the driver's).")
    private Integer pids;

    @Option(
            names = {"-d", "--detach"},
            description = "Return once the sandbox is Ready; do not attach to its command.")
    private boolean detach;

    @Option(
            names = {"-i", "--stdin"},
            description = "Attached: pass standard input to the command (on a terminal it always is).")
    private boolean stdin;

    @Parameters(
            paramLabel = "CMD",
            arity = "0..*",
            description = "The command to run (after --); default: the image's shell.")
    private List<String> command = new ArrayList<>();

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        OpenShellCli cli = OpenShellCli.of(spec);
        Output out = new Output(spec, globals);
        boolean attach = !detach && !command.isEmpty();
        SandboxCreateRequest request = new SandboxCreateRequest(
                name,
                // Attached, the command runs over exec; the sandbox's main process idles meanwhile.
                attach ? List.of() : command,
                SandboxFlags.env(env, cli.environment()),
                SandboxFlags.labels(labels),
                policy == null ? null : PolicyDocument.read(policy, cli.stdin()).yaml(),
                providers,
                image,
                SandboxFlags.resources(memory, cpus, pids),
                true);
        request.validate();
        if (attach) {
            SandboxCreateRequest.of(null, command).validate();
        }
        if (attach && out.structured()) {
            throw CliErrors.usage(
                    "-o " + globals.output().spelling() + " prints the sandbox, it cannot attach", "add --detach");
        }
        try (GatewayClient gw = gateway.connect(CREATE_TIMEOUT)) {
            Sandbox created = gw.sandboxes().create(request, RequestOptions.idempotent());
            if (created.phase() == SandboxPhase.ERROR) {
                throw CliErrors.of(
                        ErrorCode.START_FAILED,
                        "sandbox " + created.name() + " failed: " + SafeText.oneLine(created.reason(), 500),
                        "its log: openshell logs " + created.name() + "; remove it: openshell sandbox delete "
                                + created.name());
            }
            if (created.phase() != SandboxPhase.READY && created.exitCode() == null) {
                throw CliErrors.of(
                        ErrorCode.TIMEOUT,
                        "sandbox " + created.name() + " is still " + SandboxText.phase(created)
                                + " after the gateway's wait",
                        "check on it: openshell sandbox get " + created.name());
            }
            if (attach) {
                boolean terminal = cli.environment().interactive() && CliEnvironment.isTerminal(0);
                out.note("sandbox " + created.name() + " is Ready; running "
                        + SafeText.oneLine(String.join(" ", command), 80) + " in it");
                int status = new ExecAttach(command, terminal, terminal, terminal || stdin ? cli.stdin() : null, null)
                        .attach(
                                gw,
                                created.name(),
                                spec.commandLine().getOut(),
                                spec.commandLine().getErr());
                out.note("sandbox " + created.name() + " stays Ready: openshell sandbox connect " + created.name()
                        + "; remove it: openshell sandbox delete " + created.name());
                return status;
            }
            out.printText(created, () -> "sandbox " + created.name() + " is " + SandboxText.phase(created) + "\n");
            return 0;
        }
    }
}
