package dev.openshell.cli.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.output.Table;
import java.net.URI;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** {@code openshell gateway list}: the registered gateways, the active one marked. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List the registered gateways; * marks the active one.")
public final class GatewayListCommand implements Runnable {

    /** One row of {@code -o json}: the registration and whether it is active. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(
            String name,
            URI endpoint,
            GatewayEntry.Auth auth,
            String driver,
            String dataDir,
            boolean active,
            String host) {}

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions globals;

    @Override
    public void run() {
        GatewayRegistry registry = OpenShellCli.of(spec).registry();
        String active = registry.activeName();
        List<Item> items = registry.list().stream()
                .map(g -> new Item(
                        g.name(),
                        g.endpoint(),
                        g.auth(),
                        g.driver(),
                        g.dataDir(),
                        g.name().equals(active),
                        g.onRemoteHost() ? g.remote().destination() : null))
                .toList();
        new Output(spec, globals).print(Map.of("items", items), () -> {
            Table t = new Table("ACTIVE", "NAME", "ENDPOINT", "AUTH", "RUNS");
            for (Item i : items) {
                t.row(
                        i.active() ? "*" : "",
                        i.name(),
                        i.endpoint(),
                        i.auth().wire(),
                        i.dataDir() != null
                                ? "here (" + i.driver() + ")"
                                : i.host() != null ? "on " + i.host() + " (" + i.driver() + ")" : "elsewhere");
            }
            return t;
        });
    }
}
