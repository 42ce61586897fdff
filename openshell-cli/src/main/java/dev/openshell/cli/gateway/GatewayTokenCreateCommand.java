package dev.openshell.cli.gateway;

import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.validation.DurationText;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell gateway token create --scope S... [--expires 30d] [--name N]}: prints the new token's secret, once. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Create an API token. Standard output gets the secret alone (shown this once; the gateway keeps only"
                    + " a hash), standard error what it allows, so TOKEN=$(openshell gateway token create ...) works.",
            "Scopes: sandbox:read, sandbox:write, sandbox:exec, policy:read, policy:write, provider:read,"
                    + " provider:write, inference:read, inference:write, decision:read, admin (write includes read)."
        },
        footerHeading = "%nExample:%n",
        footer =
                "  TOKEN=$(openshell gateway token create --name ci --scope sandbox:write --scope sandbox:exec --expires 1d)")
public final class GatewayTokenCreateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--scope",
            paramLabel = "SCOPE",
            required = true,
            split = ",",
            description = "What the token may do; repeat or separate with commas.")
    private List<String> scopes = new ArrayList<>();

    @Option(
            names = "--expires",
            paramLabel = "DURATION",
            description = "How long it is valid (default 30d, at most 365d): 1h, 7d, 30d.")
    private String expires;

    @Option(names = "--name", paramLabel = "NAME", description = "A label for people (a DNS label).")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        List<Scope> parsed = new ArrayList<>();
        for (String s : scopes) {
            try {
                parsed.add(Scope.parse(s.strip()));
            } catch (IllegalArgumentException e) {
                throw CliErrors.usage(e.getMessage(), "see openshell gateway token create --help");
            }
        }
        Duration lifetime = expires == null ? null : DurationText.parse("--expires", expires);
        ApiTokenCreateRequest request = new ApiTokenCreateRequest(name, parsed, lifetime);
        request.validate();
        try (GatewayClient gw = gateway.connect()) {
            ApiTokenCreated created = gw.tokens().create(request, RequestOptions.idempotent());
            Output out = new Output(spec, globals);
            if (out.structured()) {
                out.printText(created, () -> "");
            } else {
                out.note("token " + created.token().id() + " ("
                        + String.join(
                                ", ",
                                created.token().scopes().stream()
                                        .map(Scope::wire)
                                        .toList()) + ") expires "
                        + created.token().expiresAt() + "; the secret below is shown only this once");
                out.text(created.secret() + "\n");
            }
        }
        return 0;
    }
}
