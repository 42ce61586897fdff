package dev.openshell.cli.policy;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell policy get NAME [--rev R]}: the policy in force (or a revision), as YAML that {@code policy set} takes back. */
@Command(
        name = "get",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print a sandbox's policy: the revision in force, or --rev R. The default output is the policy YAML"
                    + " under a comment naming the revision; -o yaml and -o json print the whole revision.",
            "Every form is accepted unchanged by openshell policy set."
        },
        footerHeading = "%nExample:%n",
        footer =
                "  openshell policy get demo > p.yaml && $EDITOR p.yaml && openshell policy set demo --policy p.yaml --wait")
public final class PolicyGetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Option(names = "--rev", paramLabel = "R", description = "A revision number (openshell policy list).")
    private Long revision;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        try (GatewayClient gw = gateway.connect()) {
            PolicyRevision r =
                    revision == null ? gw.policies().get(name) : gw.policies().revision(name, revision);
            new Output(spec, globals)
                    .printText(
                            r,
                            () -> "# sandbox " + name + ", policy revision " + r.number() + " ("
                                    + (r.status() == null
                                            ? "unknown"
                                            : r.status().wire()) + ")\n" + r.policy()
                                    + (r.policy() != null && r.policy().endsWith("\n") ? "" : "\n"));
        }
        return 0;
    }
}
