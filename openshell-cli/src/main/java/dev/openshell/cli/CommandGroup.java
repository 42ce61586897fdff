package dev.openshell.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups others ({@code openshell sandbox}): run on its own, it names its subcommands. */
public abstract class CommandGroup implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "missing subcommand: choose one of "
                        + String.join(", ", spec.subcommands().keySet()));
    }
}
