package dev.openshell.cli.provider;

import dev.openshell.api.DeleteResult;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell provider delete NAME}: idempotent. */
@Command(
        name = "delete",
        aliases = "rm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Delete a provider and its credentials. Deleting one that does not exist succeeds.")
public final class ProviderDeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The provider.")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            DeleteResult r = gw.providers().delete(name);
            new Output(spec, globals)
                    .printText(
                            r,
                            () -> "provider " + name
                                    + (r.result() == DeleteResult.Outcome.DELETED
                                            ? " deleted\n"
                                            : " was already absent\n"));
        }
        return 0;
    }
}
