package dev.openshell.cli.apply;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.validation.DurationText;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.apply.ApplyOutcome.Entry;
import dev.openshell.cli.output.Output;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell apply -f FILE [--prune] [--dry-run]}: makes the gateway match a declarative file. */
@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Make the gateway match a file of providers and sandboxes: create what is missing, load changed network"
                    + " policies into running sandboxes in place, and report what changed. Applying the same file again"
                    + " changes nothing. Nothing is deleted unless --prune is given.",
            "The whole file is checked (keys, names, policies, credentials, sandboxes of the same name made"
                    + " otherwise) before anything is written. Sandboxes it makes carry the label"
                    + " openshell.dev/apply=SET (SET: the file's name: key, else its file name), which is how --prune"
                    + " finds those the file no longer lists; providers are never pruned.",
            "What cannot change in place (a sandbox's command, labels, providers, image, resources, env at"
                    + " creation, or a static policy section) is reported as drifted (exit 4): delete that sandbox and"
                    + " apply again. Provider credentials come from this shell, never from the file, and are set only"
                    + " when the provider is made or replaced.",
            "The file:",
            "  name: demo                          # optional",
            "  providers:",
            "    - name: openai",
            "      type: openai                    # base_url and protocol default for known types",
            "      from_existing: true             # or credentials: [OPENAI_API_KEY]",
            "  sandboxes:",
            "    - name: agent",
            "      command: [python3, agent.py]",
            "      env: {MODE: batch}",
            "      labels: {team: ml}",
            "      providers: [openai]",
            "      policy_file: agent-policy.yaml  # relative to the file; or policy: with the policy inline",
            "      resources: {memory: 1g, cpus: 1, pids: 256}"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the gateway matches the file",
            "1:a sandbox rejected a policy",
            "2:an invalid file, policy or credential",
            "4:a sandbox of that name was made otherwise, or one drifted in what cannot change in place",
            "124:a policy was not loaded in time",
            "125:a sandbox failed to start"
        })
public final class ApplyCommand implements Callable<Integer> {

    /** Sandboxes are created waiting until Ready, which may take the gateway a while. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    /** The order of the summary line: what was written first, then what was not. */
    private static final List<String> RESULT_ORDER =
            List.of("created", "replaced", "updated", "deleted", "unchanged", "kept", "drifted", "failed");

    @Spec
    private CommandSpec spec;

    @Option(
            names = {"-f", "--filename"},
            paramLabel = "FILE",
            required = true,
            description = "The apply file (YAML).")
    private Path file;

    @Option(names = "--prune", description = "Delete the sandboxes of this file's set that it no longer lists.")
    private boolean prune;

    @Option(names = "--dry-run", description = "Report what would change, change nothing.")
    private boolean dryRun;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "60s",
            description = "How long a sandbox may take to load a changed policy (default: ${DEFAULT-VALUE}).")
    private String timeout;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        Duration policyWait = DurationText.parse("--timeout", timeout);
        ApplyFile desired = ApplyFile.read(file);
        try (GatewayClient gw = gateway.connect(REQUEST_TIMEOUT)) {
            List<Change> plan = new ApplyPlanner(gw, OpenShellCli.of(spec).environment()).plan(desired, prune);
            ApplyRun run = new ApplyRun(gw, policyWait);
            if (dryRun) {
                run.describe(plan);
            } else {
                run.carryOut(plan);
            }
            ApplyOutcome outcome = new ApplyOutcome(desired.set(), dryRun, run.entries());
            new Output(spec, globals).printText(outcome, () -> text(outcome));
            return run.exitCode();
        }
    }

    private static String text(ApplyOutcome outcome) {
        StringBuilder out = new StringBuilder();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String result : RESULT_ORDER) {
            counts.put(result, 0);
        }
        for (Entry e : outcome.changes()) {
            out.append(e.kind())
                    .append(' ')
                    .append(e.name())
                    .append(": ")
                    .append(e.result())
                    .append(e.detail() == null ? "" : " (" + e.detail() + ")")
                    .append('\n');
            counts.merge(e.result(), 1, Integer::sum);
        }
        out.append(outcome.dryRun() ? "dry run of " : "applied ")
                .append(outcome.set())
                .append(": ");
        out.append(
                outcome.changes().isEmpty()
                        ? "the file lists nothing"
                        : String.join(
                                ", ",
                                counts.entrySet().stream()
                                        .filter(c -> c.getValue() > 0)
                                        .map(c -> c.getValue() + " " + c.getKey())
                                        .toList()));
        return out.append(outcome.dryRun() ? " (nothing was changed)\n" : "\n").toString();
    }
}
