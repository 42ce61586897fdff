package dev.openshell.cli.policy;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.policy.PolicyRevision;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell policy list NAME}: a sandbox's policy revisions, newest first. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "List a sandbox's policy revisions, newest first: status (pending, loaded, failed with the"
                + " sandbox's error, superseded), when each was written and loaded.")
public final class PolicyListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            List<PolicyRevision> revisions = gw.policies().revisions(name).toList();
            Instant now = Instant.now();
            // The list shape carries the policies' text too; the table leaves it out.
            new Output(spec, globals).print(Map.of("items", revisions), () -> {
                Table t = new Table("REVISION", "STATUS", "AGE", "LOADED", "HASH", "ERROR");
                for (PolicyRevision r : revisions) {
                    t.row(
                            r.number(),
                            r.status() == null ? "" : r.status().wire(),
                            Times.age(r.createdAt(), now),
                            r.loadedAt() == null ? "" : Times.relative(r.loadedAt(), now),
                            r.hash() == null
                                    ? ""
                                    : r.hash().substring(0, Math.min(r.hash().length(), 19)),
                            r.error());
                }
                return t;
            });
        }
        return 0;
    }
}
