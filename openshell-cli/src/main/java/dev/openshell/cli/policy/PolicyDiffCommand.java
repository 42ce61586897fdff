package dev.openshell.cli.policy;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import dev.openshell.policy.PolicyDiff;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * {@code openshell policy diff NAME --policy F} (what {@code policy set} would change on a running
 * sandbox) or {@code policy diff --from A --policy B} (two files, offline).
 */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Show what changes between the policy in force on a sandbox (or --from FILE) and --policy FILE:"
                    + " static changes (filesystem, landlock, process: need a new sandbox) apart from network ones"
                    + " (hot-reloadable).",
            "Exits 0 when they are the same and 1 when they differ, as diff(1) does."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell policy diff demo --policy new.yaml",
            "  openshell policy diff --from old.yaml --policy new.yaml"
        })
public final class PolicyDiffCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "NAME",
            description = "The sandbox whose policy in force is compared.")
    private String name;

    @Option(
            names = "--from",
            paramLabel = "FILE",
            description = "Compare from this file instead of a sandbox (offline).")
    private Path from;

    @Option(
            names = {"-f", "--policy"},
            paramLabel = "FILE",
            required = true,
            description = "The policy to compare to, or - for standard input.")
    private Path policy;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        if ((name == null) == (from == null)) {
            throw CliErrors.usage(
                    name == null ? "name a sandbox or give --from FILE" : "a sandbox and --from exclude each other",
                    "openshell policy diff NAME --policy F, or openshell policy diff --from A --policy B");
        }
        OpenShellCli cli = OpenShellCli.of(spec);
        Policy after = PolicyDocument.read(policy, cli.stdin()).policy();
        Policy before;
        if (from != null) {
            before = PolicyDocument.read(from, cli.stdin()).policy();
        } else {
            try (GatewayClient gw = gateway.connect()) {
                before = PolicyParser.parse(
                        gw.policies().get(name).policy().getBytes(StandardCharsets.UTF_8), "sandbox " + name);
            }
        }
        PolicyDiff diff = PolicyDiff.between(before, after);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("same", diff.isEmpty());
        doc.put("static_changes", lines(diff.staticChanges()));
        doc.put("network_changes", lines(diff.dynamicChanges()));
        new Output(spec, globals)
                .printText(doc, () -> diff.render().endsWith("\n") ? diff.render() : diff.render() + "\n");
        return diff.isEmpty() ? 0 : 1;
    }

    private static List<String> lines(List<PolicyDiff.Change> changes) {
        return changes.stream().map(PolicyDiff.Change::render).toList();
    }
}
