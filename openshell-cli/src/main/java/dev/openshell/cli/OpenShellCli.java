package dev.openshell.cli;

import dev.openshell.cli.apply.ApplyCommand;
import dev.openshell.cli.completion.CompletionCommand;
import dev.openshell.cli.context.ConfigPaths;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.doctor.DoctorCommand;
import dev.openshell.cli.gateway.GatewayCommand;
import dev.openshell.cli.inference.InferenceCommand;
import dev.openshell.cli.logs.LogsCommand;
import dev.openshell.cli.policy.PolicyCommand;
import dev.openshell.cli.provider.ProviderCommand;
import dev.openshell.cli.run.CleanupCommand;
import dev.openshell.cli.run.RunCommand;
import dev.openshell.cli.sandbox.SandboxCommand;
import dev.openshell.cli.status.StatusCommand;
import dev.openshell.cli.support.CliEnvironment;
import dev.openshell.sandbox.supervisor.SupervisorWarmup;
import java.io.InputStream;
import java.util.List;
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
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0   success (policy check: allowed; policy set --wait: loaded)",
            "  1   denied: policy check denied, or the sandbox rejected a policy revision",
            "  2   invalid input (unknown option, bad value, invalid policy file)",
            "  3   no such sandbox, provider, gateway, token or revision",
            "  4   conflict: it exists already, changed meanwhile, or is not ready",
            "  5   authentication or trust failed, or the credentials lack the scope",
            " 69   the gateway cannot be reached or cannot serve the request now",
            " 70   internal error (run again with --debug for the stack trace)",
            "124   a wait timed out",
            "125   the sandbox could not be created, started or run",
            "  N   exec and run: the command's own exit status"
        })
public final class OpenShellCli implements Callable<Integer> {

    /** Every top-level command, in the order {@code --help} lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            GatewayCommand.class,
            SandboxCommand.class,
            PolicyCommand.class,
            ProviderCommand.class,
            InferenceCommand.class,
            LogsCommand.class,
            StatusCommand.class,
            DoctorCommand.class,
            ApplyCommand.class,
            RunCommand.class,
            CleanupCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class);

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions globals;

    @Mixin
    private GatewayOption gateway;

    private final CliEnvironment environment;
    private GatewayRegistry registry;
    private GatewayEntry using;

    /** A root command in {@code environment}. */
    public OpenShellCli(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(commandLine(CliEnvironment.system(System.in), args).execute(args));
    }

    /**
     * The command tree for {@code args}: for {@code run}, the root with that command alone, every
     * other command line gets the whole tree. Picocli reads the annotations of every command it is
     * given, which took a good part of {@code openshell run}'s start-up; {@code run} also starts
     * readying the supervisor on another core meanwhile ({@link SupervisorWarmup}).
     */
    static CommandLine commandLine(CliEnvironment environment, String[] args) {
        if (args.length > 0 && args[0].equals("run")) {
            SupervisorWarmup.begin();
            return withHandlers(new CommandLine(new OpenShellCli(environment)).addSubcommand(RunCommand.class));
        }
        return commandLine(environment);
    }

    /** The command tree for this process's environment, reading {@code -} arguments from {@code stdin}. */
    public static CommandLine commandLine(InputStream stdin) {
        return commandLine(CliEnvironment.system(stdin));
    }

    /**
     * The command tree with the short-error handlers installed; tests set its out and err
     * writers and call {@code execute}.
     */
    public static CommandLine commandLine(CliEnvironment environment) {
        CommandLine root = new CommandLine(new OpenShellCli(environment));
        COMMANDS.forEach(root::addSubcommand);
        return withHandlers(root);
    }

    private static CommandLine withHandlers(CommandLine root) {
        ShortErrorHandler errors = new ShortErrorHandler();
        return root.setParameterExceptionHandler(errors).setExecutionExceptionHandler(errors);
    }

    /** The root command of the tree {@code spec} belongs to. */
    public static OpenShellCli of(CommandSpec spec) {
        return (OpenShellCli) spec.root().userObject();
    }

    /** Where {@code -} (standard input) arguments are read from. */
    public InputStream stdin() {
        return environment.stdin();
    }

    public CliEnvironment environment() {
        return environment;
    }

    /** The registered gateways, under the configuration directory of this environment. */
    public GatewayRegistry registry() {
        if (registry == null) {
            registry = new GatewayRegistry(ConfigPaths.from(environment));
        }
        return registry;
    }

    /** The gateway this run talks to, once a command has resolved it (for error messages); else null. */
    public GatewayEntry usingGateway() {
        return using;
    }

    void using(GatewayEntry entry) {
        this.using = entry;
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
