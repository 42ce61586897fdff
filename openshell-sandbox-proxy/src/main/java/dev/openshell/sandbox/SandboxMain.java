package dev.openshell.sandbox;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.sandbox.command.SandboxCleanupCommand;
import dev.openshell.sandbox.command.SandboxHostCommand;
import dev.openshell.sandbox.command.SandboxLogsCommand;
import dev.openshell.sandbox.command.SandboxReloadCommand;
import dev.openshell.sandbox.command.SandboxRunCommand;
import dev.openshell.sandbox.command.SandboxStatusCommand;
import dev.openshell.sandbox.error.SandboxException;
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
        // slf4j-simple (simplelogger.properties): the supervisor's own events at info on stderr
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        // Netty's default leak detection records a stack trace for one buffer in 128: about 2 % of
        // the proxy's CPU per forwarded request. Tests keep it (they do not come through here).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
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
            return e instanceof SandboxException s && s.code() == ErrorCode.CONTROL_UNREACHABLE ? 2 : FAILED;
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
