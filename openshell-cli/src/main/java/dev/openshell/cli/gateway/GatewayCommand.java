package dev.openshell.cli.gateway;

import dev.openshell.cli.CommandGroup;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code openshell gateway}: start, register, switch between and inspect gateways, like kubectl contexts. */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Start gateways on this host, register gateways that run elsewhere, and choose the active one.",
            "Registrations live in $XDG_CONFIG_HOME/openshell (default ~/.config/openshell): active_gateway and"
                    + " gateways/NAME/{metadata.json,mtls/,token}."
        },
        subcommands = {
            GatewayStartCommand.class,
            GatewayAddCommand.class,
            GatewaySelectCommand.class,
            GatewayListCommand.class,
            GatewayInfoCommand.class,
            GatewayStopCommand.class,
            GatewayDestroyCommand.class,
            GatewayTokenCommand.class
        })
public final class GatewayCommand extends CommandGroup {

    @Mixin
    private GlobalOptions globals;
}
