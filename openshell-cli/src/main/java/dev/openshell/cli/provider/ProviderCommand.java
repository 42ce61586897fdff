package dev.openshell.cli.provider;

import dev.openshell.cli.CommandGroup;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code openshell provider}: credential bundles sandboxes and the privacy router use. */
@Command(
        name = "provider",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Manage providers: named credential bundles (an API's base URL and keys) that sandboxes get with"
                    + " sandbox create --provider and inference routes use. Credentials are write-only: the gateway"
                    + " never shows them again, and neither does openshell."
        },
        subcommands = {
            ProviderCreateCommand.class,
            ProviderListCommand.class,
            ProviderGetCommand.class,
            ProviderUpdateCommand.class,
            ProviderDeleteCommand.class
        })
public final class ProviderCommand extends CommandGroup {

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;
}
