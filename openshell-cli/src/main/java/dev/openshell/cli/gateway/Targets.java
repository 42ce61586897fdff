package dev.openshell.cli.gateway;

import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.context.GatewayEntry;
import picocli.CommandLine.Model.CommandSpec;

/** The gateway a {@code gateway} subcommand acts on: its NAME argument, else {@code -g}, {@code OPENSHELL_GATEWAY} or the active one. */
final class Targets {

    private Targets() {}

    static GatewayEntry entry(CommandSpec spec, String name, GatewayOption option) {
        return name != null ? OpenShellCli.of(spec).registry().resolve(name) : option.entry();
    }
}
