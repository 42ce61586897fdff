package dev.openshell.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
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
        CommandLine cli = OpenShellCli.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        customizer.accept(cli);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
