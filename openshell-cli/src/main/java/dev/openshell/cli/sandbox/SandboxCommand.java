package dev.openshell.cli.sandbox;

import dev.openshell.cli.CommandGroup;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code openshell sandbox}: sandboxes on the gateway. */
@Command(
        name = "sandbox",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Create, list, inspect, stop, start and delete sandboxes on the gateway, and run commands in them.",
        subcommands = {
            SandboxCreateCommand.class,
            SandboxListCommand.class,
            SandboxGetCommand.class,
            SandboxDeleteCommand.class,
            SandboxStopCommand.class,
            SandboxStartCommand.class,
            SandboxExecCommand.class,
            SandboxConnectCommand.class,
            SandboxUploadCommand.class,
            SandboxDownloadCommand.class
        })
public final class SandboxCommand extends CommandGroup {

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;
}
