package dev.openshell.cli.gateway;

import dev.openshell.cli.CommandGroup;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code openshell gateway token}: API tokens for CI jobs and scripts that hold no client certificate. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Create, list and revoke the gateway's API tokens (scoped, expiring; for CI jobs that hold no client"
                    + " certificate). Needs the gateway's client certificate."
        },
        subcommands = {GatewayTokenCreateCommand.class, GatewayTokenListCommand.class, GatewayTokenRevokeCommand.class})
public final class GatewayTokenCommand extends CommandGroup {

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;
}
