package dev.openshell.cli.inference;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell inference get [NAME]}: one route, or every route. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Show an inference route, or every route when no NAME is given.")
public final class InferenceGetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The route (default: all).")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            Output out = new Output(spec, globals);
            if (name != null) {
                InferenceRoute r = gw.inference().get(name);
                out.print(r, () -> InferenceText.table(List.of(r)));
                return 0;
            }
            List<InferenceRoute> all = gw.inference().list().toList();
            if (all.isEmpty() && !out.structured()) {
                out.note("no inference routes; add one with openshell inference set --provider P --model M");
                return 0;
            }
            out.print(Map.of("items", all), () -> InferenceText.table(all));
        }
        return 0;
    }
}
