package dev.openshell.cli.output;

import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's result goes: {@code -o json|yaml} print {@code document} (the API's shape),
 * the default prints the human text (usually a {@link Table} fitted to the terminal).
 */
public final class Output {

    private final CommandSpec spec;
    private final GlobalOptions globals;

    public Output(CommandSpec spec, GlobalOptions globals) {
        this.spec = spec;
        this.globals = globals;
    }

    /** Prints {@code document} as JSON or YAML, or {@code table} for the default format. */
    public void print(Object document, Supplier<Table> table) {
        switch (globals.output()) {
            case JSON -> text(Documents.json(document));
            case YAML -> text(Documents.yaml(document));
            case TABLE -> text(table.get().render(width()));
        }
    }

    /** Prints {@code document} as JSON or YAML, or {@code text} for the default format. */
    public void printText(Object document, Supplier<String> text) {
        switch (globals.output()) {
            case JSON -> text(Documents.json(document));
            case YAML -> text(Documents.yaml(document));
            case TABLE -> text(text.get());
        }
    }

    /** Writes {@code s} to standard output as it is. */
    public void text(String s) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(s);
        out.flush();
    }

    /** Writes one line to standard error (progress, notes), never to standard output. */
    public void note(String line) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(line);
        err.flush();
    }

    public boolean structured() {
        return globals.output() != dev.openshell.cli.OutputFormat.TABLE;
    }

    private int width() {
        return OpenShellCli.of(spec).environment().terminalWidth().getAsInt();
    }
}
