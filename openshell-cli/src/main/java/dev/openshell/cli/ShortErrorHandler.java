package dev.openshell.cli;

import dev.openshell.api.ApiException;
import dev.openshell.policy.model.PolicyException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints errors the way a user wants to read them: one line {@code error: ...} and a hint, never a
 * stack trace unless {@code --debug} was given.
 */
final class ShortErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        // Parsing failed, so --debug may not have been parsed: look for it in the raw arguments.
        if (Arrays.asList(args).contains("--debug")) {
            ex.printStackTrace(err);
        }
        err.println("error: " + parseMessage(unknownOptionFirst(ex, args)));
        err.println(helpHint(cmd));
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        boolean debug = OpenShellCli.of(cmd.getCommandSpec()).globals().debug();
        if (debug) {
            ex.printStackTrace(err);
        }
        if (ex instanceof ApiException api) {
            return ApiErrors.print(api, OpenShellCli.of(cmd.getCommandSpec()).usingGateway(), err);
        }
        if (ex instanceof PolicyException pe) {
            err.println("error: " + firstLine(pe.getMessage()));
            err.println(helpHint(cmd));
            err.flush();
            return ExitCodes.INVALID_INPUT;
        }
        err.println("error: internal error: " + describe(ex));
        if (!debug) {
            err.println("Run again with --debug to see the stack trace.");
        }
        err.flush();
        return ExitCodes.INTERNAL_ERROR;
    }

    static String helpHint(CommandLine cmd) {
        return "See '" + cmd.getCommandSpec().qualifiedName() + " --help'.";
    }

    /**
     * picocli reports missing required options before unknown ones, but with {@code --hots h} the
     * missing {@code --host} is only a consequence of the typo: report the typo.
     */
    private static ParameterException unknownOptionFirst(ParameterException ex, String[] args) {
        if (!(ex instanceof MissingParameterException)) {
            return ex;
        }
        CommandLine cmd = ex.getCommandLine();
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.startsWith("--") && !cmd.getCommandSpec().optionsMap().containsKey(name)) {
                return new UnmatchedArgumentException(cmd, List.of(arg));
            }
        }
        return ex;
    }

    private static String parseMessage(ParameterException ex) {
        String message = firstLine(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> args = unmatched.getUnmatched();
            boolean hasSubcommands = !ex.getCommandLine().getSubcommands().isEmpty();
            if (hasSubcommands && args.size() == 1 && !args.getFirst().startsWith("-")) {
                message = "unknown command '" + args.getFirst() + "'";
            }
            List<String> suggestions = unmatched.getSuggestions();
            if (hasSubcommands && args.size() == 1 && !args.getFirst().startsWith("-")) {
                // picocli ranks by shared letter pairs, which offers `cleanup` for `rnu`
                String closest = dev.openshell.policy.yaml.KeySuggestions.closest(
                        args.getFirst(), ex.getCommandLine().getSubcommands().keySet());
                if (closest != null) {
                    suggestions = List.of(closest);
                }
            }
            if (!suggestions.isEmpty()) {
                message += "; did you mean "
                        + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size()))) + "?";
            }
        }
        return message;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank()
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + firstLine(message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
