package dev.openshell.cli.policy;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell policy set NAME --policy F [--wait [--timeout 30s]]}: replaces a running sandbox's policy. */
@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Replace a sandbox's policy. Only network_policies may change on a running sandbox (filesystem_policy,"
                    + " landlock and process are fixed at creation). The file is validated here first; it may also"
                    + " be what openshell policy get printed, in any -o format.",
            "The sandbox loads the new revision whole, or rejects it and keeps the previous one."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:written (with --wait: loaded); or unchanged",
            "1:the sandbox rejected the revision (--wait)",
            "2:an invalid policy, or a change to a static section",
            "3:no such sandbox",
            "124:still pending after --timeout (--wait)"
        })
public final class PolicySetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Option(
            names = {"-f", "--policy"},
            paramLabel = "FILE",
            required = true,
            description = "Policy YAML, or - for standard input.")
    private Path policy;

    @Mixin
    private RevisionWaitOptions waiting;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        Duration limit = waiting.limit();
        PolicyDocument doc = PolicyDocument.read(policy, OpenShellCli.of(spec).stdin());
        try (GatewayClient gw = gateway.connect()) {
            return PolicyWrite.run(
                    gw,
                    name,
                    waiting.waits(),
                    limit,
                    new Output(spec, globals),
                    () -> gw.policies().set(name, new PolicySetRequest(doc.yaml()), RequestOptions.NONE));
        }
    }
}
