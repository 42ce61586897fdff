package dev.openshell.cli.provider;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.provider.Provider;
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
import picocli.CommandLine.Spec;

/** {@code openshell provider list}. */
@Command(
        name = "list",
        aliases = "ls",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List the providers: type, base URL and the names of their credentials (never the values).")
public final class ProviderListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            List<Provider> all = gw.providers().list().toList();
            Instant now = Instant.now();
            Output out = new Output(spec, globals);
            if (all.isEmpty() && !out.structured()) {
                out.note("no providers");
                return 0;
            }
            out.print(Map.of("items", all), () -> {
                Table t = new Table("NAME", "TYPE", "BASE URL", "CREDENTIALS", "AGE");
                for (Provider p : all) {
                    t.row(
                            p.name(),
                            p.type(),
                            p.baseUrl(),
                            String.join(",", p.credentialKeys()),
                            Times.age(p.createdAt(), now));
                }
                return t;
            });
        }
        return 0;
    }
}
