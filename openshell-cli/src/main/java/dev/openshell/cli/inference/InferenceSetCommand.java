package dev.openshell.cli.inference;

import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.inference.InferenceCost;
import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.api.inference.Privacy;
import dev.openshell.api.validation.DurationText;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell inference set --provider P --model M [--name R] [--privacy local|any] [--timeout D] [--cost-input X --cost-output Y]}. */
@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Create or replace an inference route (default name: default). Requests marked sensitive only use"
                    + " routes with --privacy local; otherwise the cheapest healthy route serves, the next on failure."
        },
        footerHeading = "%nExample:%n",
        footer = "  openshell inference set --provider openai --model gpt-4o")
public final class InferenceSetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--provider",
            paramLabel = "NAME",
            required = true,
            description = "The provider (openshell provider list).")
    private String provider;

    @Option(
            names = "--model",
            paramLabel = "MODEL",
            required = true,
            description = "The model the router asks the provider for.")
    private String model;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            defaultValue = "default",
            description = "The route (default: ${DEFAULT-VALUE}).")
    private String name;

    @Option(
            names = "--privacy",
            paramLabel = "PRIVACY",
            description = "local (the sandbox's compute or a host-local server) or any (default).")
    private String privacy;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "How long one upstream call may take (default: the router's).")
    private String timeout;

    @Option(
            names = "--cost-input",
            paramLabel = "PRICE",
            description = "Price per million input tokens (routes are tried cheapest first).")
    private BigDecimal costInput;

    @Option(names = "--cost-output", paramLabel = "PRICE", description = "Price per million output tokens.")
    private BigDecimal costOutput;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        InferenceRoute route = new InferenceRoute(
                name,
                provider,
                model,
                timeout == null ? null : DurationText.parse("--timeout", timeout),
                privacy == null ? null : privacy(privacy),
                costInput == null && costOutput == null ? null : new InferenceCost(costInput, costOutput),
                null);
        route.validate();
        try (GatewayClient gw = gateway.connect()) {
            InferenceRoute saved = gw.inference().put(route, RequestOptions.NONE);
            new Output(spec, globals).print(saved, () -> InferenceText.table(List.of(saved)));
        }
        return 0;
    }

    private static Privacy privacy(String text) {
        for (Privacy p : Privacy.values()) {
            if (p.wire().equals(text)) {
                return p;
            }
        }
        throw CliErrors.usage(
                "--privacy " + SafeText.quote(text) + " is not local or any", "--privacy local or --privacy any");
    }
}
