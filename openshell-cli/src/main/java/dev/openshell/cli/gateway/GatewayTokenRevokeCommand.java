package dev.openshell.cli.gateway;

import dev.openshell.api.DeleteResult;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell gateway token revoke ID}: the token stops working at once. */
@Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Revoke an API token; requests with it fail from now on. Revoking it again succeeds.")
public final class GatewayTokenRevokeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id (openshell gateway token list).")
    private String id;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            DeleteResult r = gw.tokens().revoke(id);
            new Output(spec, globals)
                    .printText(
                            r,
                            () -> r.result() == DeleteResult.Outcome.DELETED
                                    ? "token " + id + " revoked\n"
                                    : "token " + id + " was already revoked or does not exist\n");
        }
        return 0;
    }
}
