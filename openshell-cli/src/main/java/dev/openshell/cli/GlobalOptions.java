package dev.openshell.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Flags accepted by every command, before or after the subcommand name ({@code openshell --debug
 * policy check ...} and {@code openshell policy check ... --debug} mean the same).
 *
 * <p>Every command mixes this class in, but values always land in the instance of the top-level
 * command, so a leaf reads what the user gave anywhere on the line. The setters only ever move a
 * value away from its default: picocli applies defaults to each command it parses, and a
 * subcommand's defaults must not erase what was given before the subcommand name. The gateway
 * flag works the same way but only on commands that talk to a gateway ({@link GatewayOption}).
 */
public final class GlobalOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    private boolean debug;
    private OutputFormat output;
    private String gateway;

    /**
     * Where the shared flags sit in help: after a command's own, in a fixed order (they are set
     * through methods, whose reflection order is not stable).
     */
    static final int ORDER = 1000;

    @Option(names = "--debug", order = GlobalOptions.ORDER + 1, description = "Print stack traces of errors.")
    void setDebug(boolean value) {
        if (value) {
            top().debug = true;
        }
    }

    @Option(
            names = {"-o", "--output"},
            order = GlobalOptions.ORDER + 2,
            paramLabel = "FORMAT",
            converter = OutputFormat.Converter.class,
            completionCandidates = OutputFormat.Names.class,
            description = "Output format: ${COMPLETION-CANDIDATES} (default: table).")
    void setOutput(OutputFormat value) {
        if (value != null) {
            top().output = value;
        }
    }

    /** Whether {@code --debug} was given. */
    public boolean debug() {
        return top().debug;
    }

    /** The requested output format; {@link OutputFormat#TABLE} by default. */
    public OutputFormat output() {
        OutputFormat o = top().output;
        return o == null ? OutputFormat.TABLE : o;
    }

    /** The gateway named with {@code -g} anywhere on the line, or {@code null}. */
    public String gateway() {
        return top().gateway;
    }

    void setGateway(String name) {
        top().gateway = name;
    }

    private GlobalOptions top() {
        return OpenShellCli.of(mixee).globals();
    }
}
