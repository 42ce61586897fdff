package dev.openshell.cli.sandbox;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.validation.LabelSelector;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.output.Table;
import dev.openshell.cli.output.Times;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell sandbox list [--selector k=v,...]}. */
@Command(
        name = "list",
        aliases = "ls",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List the gateway's sandboxes, optionally those whose labels match a selector.")
public final class SandboxListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = {"-l", "--selector"},
            paramLabel = "SELECTOR",
            description = "Label selector: k=v, k!=v, k, !k, comma-separated (all must match).")
    private String selector;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        LabelSelector parsed = selector == null ? LabelSelector.all() : LabelSelector.parse("--selector", selector);
        try (GatewayClient gw = gateway.connect()) {
            List<Sandbox> all = gw.sandboxes().list(parsed).toList();
            Instant now = Instant.now();
            Output out = new Output(spec, globals);
            if (all.isEmpty() && !out.structured()) {
                out.note("no sandboxes" + (selector == null ? "" : " match " + selector));
                return 0;
            }
            out.print(Map.of("items", all), () -> {
                Table t = new Table("NAME", "PHASE", "AGE", "COMMAND", "LABELS");
                for (Sandbox s : all) {
                    t.row(
                            s.name(),
                            SandboxText.phase(s),
                            Times.age(s.createdAt(), now),
                            SandboxText.command(s.command()),
                            SandboxText.labels(s.labels()));
                }
                return t;
            });
        }
        return 0;
    }
}
