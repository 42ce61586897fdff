package dev.openshell.cli.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.ApiException;
import dev.openshell.api.GatewayInfo;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.bootstrap.local.LocalGatewayStatus;
import dev.openshell.bootstrap.local.LocalGateways;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.context.GatewayConnector;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.output.Output;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** {@code openshell gateway info [NAME]}: where a gateway is, whether it answers, what it runs, where its client bundle is. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Show a gateway's endpoint, health, version, compute driver and where its client bundle is"
                    + " (default: the active gateway).",
            "Exits 0 when the gateway answers, else with the error's code after printing what is known."
        })
public final class GatewayInfoCommand implements Callable<Integer> {

    /** What {@code -o json} prints. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Info(
            String name,
            URI endpoint,
            boolean active,
            GatewayEntry.Auth auth,
            String clientBundle,
            String dataDir,
            Long pid,
            String health,
            String error,
            String version,
            String driver,
            Boolean driverAvailable,
            String database,
            Instant startedAt,
            String host) {}

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "NAME",
            description = "The gateway (default: -g, $OPENSHELL_GATEWAY or the active one).")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        GatewayRegistry registry = OpenShellCli.of(spec).registry();
        GatewayEntry entry = Targets.entry(spec, name, gateway);
        Long pid = null;
        if (entry.isLocal()) {
            LocalGatewayStatus status = LocalGateways.status(Path.of(entry.dataDir()));
            pid = status.running() ? status.pid() : null;
        }
        GatewayInfo live = null;
        ApiException failure = null;
        if (!entry.isLocal() || pid != null) {
            try (GatewayClient gw = new GatewayConnector(registry).connect(entry, GatewayConnector.REQUEST_TIMEOUT)) {
                live = gw.info();
            } catch (ApiException e) {
                failure = e;
            }
        }
        String health = live != null ? "ready" : entry.isLocal() && pid == null ? "stopped" : "unreachable";
        String error = failure != null ? failure.getMessage() : null;
        Info info = new Info(
                entry.name(),
                entry.endpoint(),
                entry.name().equals(registry.activeName()),
                entry.auth(),
                registry.dir(entry.name())
                        .resolve(entry.auth() == GatewayEntry.Auth.MTLS ? "mtls" : "token")
                        .toString(),
                entry.dataDir(),
                pid,
                health,
                error,
                live != null ? live.version() : null,
                live != null ? live.driver() : entry.driver(),
                live != null ? live.driverAvailable() : null,
                live != null ? live.database() : null,
                live != null ? live.startedAt() : null,
                entry.onRemoteHost() ? entry.remote().destination() : null);
        new Output(spec, globals).printText(info, () -> text(info));
        if (failure != null) {
            return failure.exitCode();
        }
        return "stopped".equals(health) ? dev.openshell.api.ErrorCode.GATEWAY_UNREACHABLE.exitCode() : 0;
    }

    private static String text(Info i) {
        StringBuilder b = new StringBuilder();
        line(b, "name", i.name() + (i.active() ? " (active)" : ""));
        line(b, "endpoint", i.endpoint().toString());
        line(b, "auth", i.auth() == GatewayEntry.Auth.MTLS ? "client certificate" : "API token");
        line(b, "client bundle", i.clientBundle());
        line(
                b,
                "runs",
                i.dataDir() != null
                        ? "on this host" + (i.pid() != null ? ", pid " + i.pid() : "") + "; data in " + i.dataDir()
                        : i.host() != null
                                ? "on " + i.host() + " (started over SSH; stop or destroy it from here)"
                                : "elsewhere");
        line(b, "health", i.health() + (i.error() != null ? ": " + i.error() : ""));
        if (i.version() != null) {
            line(b, "version", i.version());
        }
        if (i.driver() != null) {
            line(
                    b,
                    "driver",
                    i.driver()
                            + (Boolean.FALSE.equals(i.driverAvailable())
                                    ? " (not in this gateway build: sandboxes cannot run)"
                                    : ""));
        }
        if (i.database() != null) {
            line(b, "database", i.database());
        }
        if (i.startedAt() != null) {
            line(b, "started", i.startedAt().toString());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format("%-14s %s%n", key + ":", dev.openshell.api.SafeText.oneLine(value, 1000)));
    }
}
