package dev.openshell.cli.policy;

import dev.openshell.cli.CommandGroup;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code openshell policy}: the group of policy commands, online (a sandbox's policy) and offline (files). */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Read and change a sandbox's policy on the gateway (get, set, update, list, diff), and validate policy"
                    + " files and decide connections against them offline (validate, check)."
        },
        subcommands = {
            PolicyGetCommand.class,
            PolicySetCommand.class,
            PolicyUpdateCommand.class,
            PolicyListCommand.class,
            PolicyDiffCommand.class,
            PolicyValidateCommand.class,
            PolicyCheckCommand.class
        })
public final class PolicyCommand extends CommandGroup {

    @Mixin
    private GlobalOptions globals;
}
