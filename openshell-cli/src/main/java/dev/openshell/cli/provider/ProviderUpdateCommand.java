package dev.openshell.cli.provider;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.provider.ProviderRequest;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openshell provider update NAME (--from-existing | --credential K[=V]...) [--type T]
 * [--base-url U] [--protocol P]}: replaces a provider. Credentials are write-only, so they are
 * always given again; the other fields keep their values unless given.
 */
@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Replace a provider's credentials (and optionally its type, base URL, protocol). Credentials are"
                    + " write-only, so every one is given again (--from-existing or --credential); the rest keeps its"
                    + " value unless given. Sandboxes get the new values when they next start."
        })
public final class ProviderUpdateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The provider.")
    private String name;

    @Option(names = "--from-existing", description = "Take the credentials from this shell's variables for the type.")
    private boolean fromExisting;

    @Option(
            names = "--credential",
            paramLabel = "KEY[=VALUE]",
            description = "A credential; KEY alone takes this shell's value. Repeatable.")
    private List<String> credentials = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", description = "A new type.")
    private String type;

    @Option(names = "--base-url", paramLabel = "URL", description = "A new base URL.")
    private String baseUrl;

    @Option(names = "--protocol", paramLabel = "PROTOCOL", description = "A new protocol: openai or anthropic.")
    private String protocol;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        if (!fromExisting && credentials.isEmpty()) {
            throw CliErrors.usage(
                    "give the credentials again: they are write-only, so an update replaces them all",
                    "add --from-existing or --credential KEY");
        }
        try (GatewayClient gw = gateway.connect()) {
            Provider current = gw.providers().get(name);
            String newType = type != null ? type : current.type();
            Map<String, String> values = CredentialFlags.collect(
                    newType, credentials, fromExisting, OpenShellCli.of(spec).environment());
            ProviderRequest request = new ProviderRequest(
                    name,
                    newType,
                    baseUrl != null ? baseUrl : current.baseUrl(),
                    protocol != null ? ProviderCreateCommand.ProviderProtocols.parse(protocol) : current.protocol(),
                    values);
            request.validate();
            Provider p = gw.providers().replace(request, RequestOptions.ifMatch(current.resourceVersion()));
            new Output(spec, globals)
                    .printText(
                            p,
                            () -> "provider " + p.name() + " updated (" + String.join(", ", p.credentialKeys())
                                    + ")\n");
        }
        return 0;
    }
}
