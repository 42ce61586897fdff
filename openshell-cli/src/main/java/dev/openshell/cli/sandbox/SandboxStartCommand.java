package dev.openshell.cli.sandbox;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell sandbox start NAME [--no-wait]}. */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Start a stopped (or failed) sandbox again and wait until it is Ready.")
public final class SandboxStartCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Option(names = "--no-wait", description = "Return at once instead of waiting for Ready.")
    private boolean noWait;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect(Duration.ofMinutes(5))) {
            Sandbox s = gw.sandboxes().start(name, !noWait, RequestOptions.NONE);
            if (!noWait && s.phase() == SandboxPhase.ERROR) {
                throw CliErrors.of(
                        ErrorCode.START_FAILED,
                        "sandbox " + s.name() + " failed to start: " + SafeText.oneLine(s.reason(), 500),
                        "its log: openshell logs " + s.name());
            }
            new Output(spec, globals).printText(s, () -> "sandbox " + s.name() + " is " + SandboxText.phase(s) + "\n");
        }
        return 0;
    }
}
