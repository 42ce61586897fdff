package dev.openshell.cli.inference;

import dev.openshell.cli.CommandGroup;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code openshell inference}: the routes behind {@code https://inference.local} in every sandbox. */
@Command(
        name = "inference",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Configure where https://inference.local in a sandbox goes: routes of a provider and a model. The"
                    + " privacy router strips the sandbox's own credentials and injects the provider's. Routes change"
                    + " at runtime, without recreating sandboxes."
        },
        subcommands = {InferenceSetCommand.class, InferenceGetCommand.class, InferenceDeleteCommand.class})
public final class InferenceCommand extends CommandGroup {

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;
}
