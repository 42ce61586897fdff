package dev.openshell.sandbox;

import dev.openshell.policy.PolicyException;
import dev.openshell.sandbox.command.SandboxCleanupCommand;
import dev.openshell.sandbox.command.SandboxHostCommand;
import dev.openshell.sandbox.command.SandboxLogsCommand;
import dev.openshell.sandbox.command.SandboxReloadCommand;
import dev.openshell.sandbox.command.SandboxRunCommand;
import dev.openshell.sandbox.command.SandboxStatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code openshell-sandbox}: the sandbox supervisor's own command line ({@code run --spec F},
 * {@code reload}, {@code status}, {@code logs}, {@code cleanup}). Errors are one line; {@code
 * --debug} adds the stack trace.
 */
@Command(
        name = "openshell-sandbox",
        mixinStandardHelpOptions = true,
        version = "openshell-sandbox 0.1.0",
        description = "Runs and controls sandboxes on this host (the local driver's supervisor).",
        subcommands = {
            SandboxRunCommand.class,
            SandboxReloadCommand.class,
            SandboxStatusCommand.class,
            SandboxLogsCommand.class,
            SandboxCleanupCommand.class,
            SandboxHostCommand.class
        })
public final class SandboxMain {

    /** Exit status when a command fails before or instead of running an agent. */
    public static final int FAILED = 125;

    private SandboxMain() {}

    public static void main(String[] args) {
        // Netty and MINA log through SLF4J; without a provider it prints warnings instead.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        System.exit(newCommandLine(java.util.Arrays.asList(args).contains("--debug"))
                .execute(java.util.Arrays.stream(args)
                        .filter(a -> !a.equals("--debug"))
                        .toArray(String[]::new)));
    }

    /** The command line with one-line error reporting; tests drive it in-process. */
    public static CommandLine newCommandLine(boolean debug) {
        CommandLine cli = new CommandLine(SandboxMain.class);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("openshell-sandbox: error: " + oneLine(e));
            if (debug) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return e instanceof SandboxException s && s.code().equals("control_unreachable") ? 2 : FAILED;
        });
        return cli;
    }

    private static String oneLine(Exception e) {
        String message = switch (e) {
            case SandboxException s -> s.getMessage();
            case PolicyException p -> p.getMessage();
            default -> e.toString();
        };
        return message == null ? e.toString() : message;
    }
}
