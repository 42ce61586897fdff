package dev.openshell.cli.sandbox;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.sandbox.Sandbox;
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

/** {@code openshell sandbox get NAME}. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Show one sandbox: phase (and why, when it failed or stopped), command, labels, limits, policy revision.")
public final class SandboxGetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            Sandbox s = gw.sandboxes().get(name);
            new Output(spec, globals).printText(s, () -> SandboxText.details(s));
        }
        return 0;
    }
}
