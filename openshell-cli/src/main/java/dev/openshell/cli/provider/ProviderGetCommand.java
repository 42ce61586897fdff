package dev.openshell.cli.provider;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.provider.Provider;
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

/** {@code openshell provider get NAME}. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Show one provider (credential names only; the values are write-only).")
public final class ProviderGetCommand implements Callable<Integer> {

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
            Provider p = gw.providers().get(name);
            new Output(spec, globals).printText(p, () -> ProviderText.details(p));
        }
        return 0;
    }
}
