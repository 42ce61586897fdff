package dev.openshell.cli.forward;

import dev.openshell.cli.CommandGroup;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code openshell forward}: local ports forwarded into sandboxes. */
@Command(
        name = "forward",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Forward local ports into sandboxes (inbound only), in the background.",
        subcommands = {ForwardStartCommand.class, ForwardStopCommand.class, ForwardListCommand.class})
public final class ForwardCommand extends CommandGroup {

    @Mixin
    private GlobalOptions globals;
}
