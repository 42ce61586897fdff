package dev.openshell.cli;

import dev.openshell.cli.apply.ApplyCommand;
import dev.openshell.cli.completion.CompletionCommand;
import dev.openshell.cli.context.ConfigPaths;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.doctor.DoctorCommand;
import dev.openshell.cli.forward.ForwardCommand;
import dev.openshell.cli.gateway.GatewayCommand;
import dev.openshell.cli.inference.InferenceCommand;
import dev.openshell.cli.logs.LogsCommand;
import dev.openshell.cli.policy.PolicyCommand;
import dev.openshell.cli.provider.ProviderCommand;
import dev.openshell.cli.run.CleanupCommand;
import dev.openshell.cli.run.RunCommand;
import dev.openshell.cli.sandbox.SandboxCommand;
import dev.openshell.cli.ssh.SshConfigCommand;
import dev.openshell.cli.ssh.SshProxyCommand;
import dev.openshell.cli.status.StatusCommand;
import dev.openshell.cli.support.CliEnvironment;
import dev.openshell.sandbox.supervisor.SupervisorWarmup;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
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

    /**
     * The top-level commands, in the order help lists them. Registered here rather than in the
     * annotation so that a run builds only the branches its arguments name (see {@link
     * #commandLine(CliEnvironment, String[])}).
     */
    static final List<Class<?>> COMMANDS = List.of(
            GatewayCommand.class,
            SandboxCommand.class,
            SshConfigCommand.class,
            SshProxyCommand.class,
            ForwardCommand.class,
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
     * The whole command tree with the short-error handlers installed (the reference docs and the
     * completion script are made from it).
     */
    public static CommandLine commandLine(CliEnvironment environment) {
        return root(environment, name -> true);
    }

    /**
     * The command tree for running {@code args}: the top-level commands the arguments name are
     * built in full, the others only as their name and description (enough for help, the list of
     * choices and "did you mean"). Building every command's model by reflection is most of a
     * short command's start-up, so {@code openshell sandbox list} does not pay for {@code policy}'s.
     * A command whose name appears nowhere in the arguments can never be the one that runs.
     */
    public static CommandLine commandLine(CliEnvironment environment, String[] args) {
        Set<String> named = Set.copyOf(Arrays.asList(args));
        if (args.length > 0 && args[0].equals("run")) {
            // readies the supervisor on another core while picocli parses (SupervisorWarmup)
            SupervisorWarmup.begin();
        }
        if (named.contains("completion")) {
            return commandLine(environment);
        }
        return root(environment, named::contains);
    }

    private static CommandLine root(CliEnvironment environment, Predicate<String> build) {
        ShortErrorHandler errors = new ShortErrorHandler();
        CommandLine root = new CommandLine(new OpenShellCli(environment));
        for (Class<?> type : COMMANDS) {
            Command command = type.getAnnotation(Command.class);
            boolean wanted = build.test(command.name())
                    || Arrays.stream(command.aliases()).anyMatch(build)
                    || type == CommandLine.HelpCommand.class;
            if (wanted) {
                root.addSubcommand(type);
            } else {
                root.addSubcommand(command.name(), new CommandLine(outline(command)), command.aliases());
            }
        }
        return root.setParameterExceptionHandler(errors).setExecutionExceptionHandler(errors);
    }

    /** A command known only by its name and what help says of it; never run (see above). */
    private static CommandSpec outline(Command command) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.usageMessage()
                .header(command.header())
                .description(command.description())
                .hidden(command.hidden());
        return spec;
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
