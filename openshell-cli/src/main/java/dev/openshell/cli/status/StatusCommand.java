package dev.openshell.cli.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.GatewayInfo;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.validation.LabelSelector;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.output.Output;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** {@code openshell status}: the gateway in use, whether it answers, and what it holds. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Show the gateway in use (-g, $OPENSHELL_GATEWAY or the active one): its version and compute driver,"
                    + " and how many sandboxes (by phase), providers and inference routes it holds.",
            "A gateway that does not answer is one line and a non-zero exit (69), within five seconds."
        })
public final class StatusCommand implements Callable<Integer> {

    /** What {@code -o json} prints. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Status(
            String gateway,
            URI endpoint,
            String version,
            String driver,
            Boolean driverAvailable,
            int sandboxes,
            Map<String, Long> sandboxesByPhase,
            int providers,
            int inferenceRoutes) {}

    @Spec
    private CommandSpec spec;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        GatewayEntry entry = gateway.entry();
        try (GatewayClient gw = gateway.connect()) {
            GatewayInfo info = gw.info();
            List<Sandbox> sandboxes = gw.sandboxes().list(LabelSelector.all()).toList();
            Map<String, Long> byPhase = sandboxes.stream()
                    .collect(Collectors.groupingBy(
                            s -> s.phase() == null ? "Unknown" : s.phase().wire(),
                            TreeMap::new,
                            Collectors.counting()));
            Status status = new Status(
                    entry.name(),
                    entry.endpoint(),
                    info.version(),
                    info.driver(),
                    info.driverAvailable(),
                    sandboxes.size(),
                    byPhase,
                    (int) gw.providers().list().count(),
                    (int) gw.inference().list().count());
            new Output(spec, globals).printText(status, () -> text(status));
        }
        return 0;
    }

    private static String text(Status s) {
        String phases = s.sandboxesByPhase().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return "gateway:    " + s.gateway() + " at " + s.endpoint() + ", version " + s.version() + "\n"
                + "driver:     " + s.driver()
                + (Boolean.FALSE.equals(s.driverAvailable())
                        ? " (not in this gateway build: sandboxes cannot run)"
                        : "")
                + "\n"
                + "sandboxes:  " + s.sandboxes() + (phases.isEmpty() ? "" : " (" + phases + ")") + "\n"
                + "providers:  " + s.providers() + "\n"
                + "inference:  " + s.inferenceRoutes() + " route" + (s.inferenceRoutes() == 1 ? "" : "s") + "\n";
    }
}
