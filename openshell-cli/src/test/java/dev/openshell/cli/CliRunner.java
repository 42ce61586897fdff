package dev.openshell.cli;

import dev.openshell.cli.support.CliEnvironment;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/** Runs the CLI in-process, the way a shell would, and captures what it printed. */
public final class CliRunner {

    private CliRunner() {}

    /** What one run produced. */
    public record Result(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static Result run(String... args) {
        return runWithStdin("", args);
    }

    public static Result runWithStdin(String stdin, String... args) {
        return run(stdin, cli -> {}, args);
    }

    /** Runs with {@code customizer} applied to the command tree first (e.g. to add a test command). */
    public static Result run(String stdin, Consumer<CommandLine> customizer, String... args) {
        return run(CliEnvironment.of(new ByteArrayInputStream(bytes(stdin)), System.getenv()), customizer, args);
    }

    /**
     * Runs in an environment of the test's own: variables ({@code XDG_CONFIG_HOME} pointing at a
     * temporary directory, {@code OPENSHELL_GATEWAY}, ...), standard input, terminal or not.
     */
    public static Result run(CliEnvironment env, String... args) {
        return run(env, cli -> {}, args);
    }

    public static Result run(CliEnvironment env, Consumer<CommandLine> customizer, String... args) {
        // the tree main builds for these arguments (run gets one of its own)
        CommandLine cli = OpenShellCli.commandLine(env, args);
        customizer.accept(cli);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** An environment with these variables and this standard input, adjusted by {@code adjust}. */
    public static CliEnvironment env(Map<String, String> vars, String stdin, UnaryOperator<CliEnvironment> adjust) {
        return adjust.apply(CliEnvironment.of(new ByteArrayInputStream(bytes(stdin)), vars));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
