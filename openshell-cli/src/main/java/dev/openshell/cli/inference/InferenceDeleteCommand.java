package dev.openshell.cli.inference;

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

/** {@code openshell inference delete [NAME]}: idempotent. */
@Command(
        name = "delete",
        aliases = "rm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Delete an inference route (default: default). Deleting one that does not exist succeeds.")
public final class InferenceDeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "NAME",
            defaultValue = "default",
            description = "The route (default: ${DEFAULT-VALUE}).")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            DeleteResult r = gw.inference().delete(name);
            new Output(spec, globals)
                    .printText(
                            r,
                            () -> "inference route " + name
                                    + (r.result() == DeleteResult.Outcome.DELETED
                                            ? " deleted\n"
                                            : " was already absent\n"));
        }
        return 0;
    }
}
