package dev.openshell.cli.gateway;

import dev.openshell.api.auth.ApiToken;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.client.GatewayClient;
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

/** {@code openshell gateway token list}: every API token (never a secret). */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List the gateway's API tokens: scopes, expiry, last use, revocation. Secrets are never shown.")
public final class GatewayTokenListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            List<ApiToken> tokens = gw.tokens().list().toList();
            Instant now = Instant.now();
            new Output(spec, globals).print(Map.of("items", tokens), () -> {
                Table t = new Table("ID", "NAME", "SCOPES", "STATUS", "EXPIRES", "LAST USED", "AGE");
                for (ApiToken k : tokens) {
                    t.row(
                            k.id(),
                            k.name(),
                            String.join(
                                    ",", k.scopes().stream().map(Scope::wire).toList()),
                            k.revokedAt() != null ? "revoked" : k.isValidAt(now) ? "valid" : "expired",
                            Times.relative(k.expiresAt(), now),
                            k.lastUsedAt() == null ? "never" : Times.relative(k.lastUsedAt(), now),
                            Times.age(k.createdAt(), now));
                }
                return t;
            });
        }
        return 0;
    }
}
