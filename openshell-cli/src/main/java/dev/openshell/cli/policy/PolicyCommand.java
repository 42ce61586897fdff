package dev.openshell.cli.policy;

import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code openshell policy}: the group of policy commands. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Validate policies and decide connections against them offline.",
        subcommands = {PolicyValidateCommand.class, PolicyCheckCommand.class})
public final class PolicyCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions globals;

    @Override
    public void run() {
        throw new ParameterException(
                spec.commandLine(),
                "missing subcommand: choose one of "
                        + String.join(", ", spec.subcommands().keySet()));
    }
}
