package dev.openshell.cli.provider;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.provider.ProviderProtocol;
import dev.openshell.api.provider.ProviderRequest;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell provider create --name N --type T (--from-existing | --credential K[=V]...)}. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Create a provider. --from-existing takes the credentials from the variables this shell already has"
                    + " for the type (openai: OPENAI_API_KEY; anthropic: ANTHROPIC_API_KEY; nvidia: NVIDIA_API_KEY;"
                    + " github: GITHUB_TOKEN or GH_TOKEN; ...). --credential KEY takes KEY's value from this shell"
                    + " (it stays out of the process list and history); KEY=VALUE gives it inline.",
            "Known types get their usual base URL and protocol unless --base-url and --protocol say otherwise."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell provider create --name openai --type openai --from-existing",
            "  openshell provider create --name gh --type github --credential GITHUB_TOKEN"
        })
public final class ProviderCreateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "Name (a DNS label).")
    private String name;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            required = true,
            description = "Kind of service: openai, anthropic, nvidia, github, ... or any name.")
    private String type;

    @Option(names = "--from-existing", description = "Take the credentials from this shell's variables for the type.")
    private boolean fromExisting;

    @Option(
            names = "--credential",
            paramLabel = "KEY[=VALUE]",
            description = "A credential; KEY alone takes this shell's value. Repeatable.")
    private List<String> credentials = new ArrayList<>();

    @Option(names = "--base-url", paramLabel = "URL", description = "The API's base URL (default for known types).")
    private String baseUrl;

    @Option(
            names = "--protocol",
            paramLabel = "PROTOCOL",
            description = "For inference: openai or anthropic (default for known types).")
    private String protocol;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        Map<String, String> values = CredentialFlags.collect(
                type, credentials, fromExisting, OpenShellCli.of(spec).environment());
        if (values.isEmpty()) {
            throw dev.openshell.cli.support.CliErrors.usage(
                    "no credentials given", "give --from-existing or --credential KEY (repeatable)");
        }
        var known = KnownProviders.type(type);
        ProviderRequest request = new ProviderRequest(
                name,
                type,
                baseUrl != null
                        ? baseUrl
                        : known.map(KnownProviders.Type::baseUrl).orElse(null),
                protocol != null
                        ? ProviderProtocols.parse(protocol)
                        : known.map(KnownProviders.Type::protocol).orElse(null),
                values);
        request.validate();
        try (GatewayClient gw = gateway.connect()) {
            Provider p = gw.providers().create(request, RequestOptions.idempotent());
            new Output(spec, globals)
                    .printText(
                            p,
                            () -> "provider " + p.name() + " created with " + String.join(", ", p.credentialKeys())
                                    + "\n");
        }
        return 0;
    }

    /** Parses {@code --protocol}. */
    static final class ProviderProtocols {
        private ProviderProtocols() {}

        static ProviderProtocol parse(String text) {
            for (ProviderProtocol p : ProviderProtocol.values()) {
                if (p.wire().equals(text)) {
                    return p;
                }
            }
            throw dev.openshell.cli.support.CliErrors.usage(
                    "--protocol " + dev.openshell.api.SafeText.quote(text) + " is not openai or anthropic",
                    "openai covers OpenAI-compatible APIs (NVIDIA NIM, vLLM, Ollama); anthropic the Messages API");
        }
    }
}
