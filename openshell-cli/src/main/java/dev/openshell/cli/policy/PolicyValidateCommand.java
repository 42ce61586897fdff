package dev.openshell.cli.policy;

import dev.openshell.cli.ExitCodes;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.OutputFormat;
import dev.openshell.cli.StructuredWriter;
import dev.openshell.cli.VersionProvider;
import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell policy validate FILE}: reports every problem in a policy file. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Check a policy file against schema v1 and report every error at once.",
            "Prints 'valid' and a summary (a policy without filesystem_policy gets the baseline: the system",
            "read-only, the work directory and /tmp writable), or one line per error: FILE:LINE:COLUMN: PATH: MESSAGE."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the policy is valid",
            "2:the policy is invalid or cannot be read; bad usage",
            "70:internal error"
        })
public final class PolicyValidateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Policy YAML file, or - for standard input.")
    private Path file;

    // Declared last so that the command's own options come first in --help.
    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        PolicyInput input = PolicyInput.load(file, OpenShellCli.of(spec).stdin());
        PrintWriter out = spec.commandLine().getOut();
        if (globals.output() != OutputFormat.TABLE) {
            out.print(StructuredWriter.write(document(input), globals.output()));
        } else if (input.valid()) {
            out.println("valid");
            out.println(summary(input.policy()));
            out.println(filesystem(input.policy().filesystem()));
        } else {
            input.report(out, spec.commandLine().getErr());
        }
        out.flush();
        return input.valid() ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }

    static String summary(Policy policy) {
        return count(policy.networkPolicies().size(), "network policy", "network policies") + ", "
                + count(policy.endpointCount(), "endpoint");
    }

    /** What the agent may touch, in one line: the baseline is named, so a policy without the section is clear. */
    static String filesystem(FilesystemPolicy fs) {
        String paths = fs.equals(FilesystemPolicy.BASELINE)
                ? "the baseline (system read-only; the work directory and /tmp writable)"
                : count(fs.readOnly().size(), "read-only path") + ", "
                        + count(fs.readWrite().size(), "read-write path")
                        + (fs.includeWorkdir() ? " and the work directory" : "");
        return "filesystem: " + paths
                + (fs.execFromWritable() ? "; writable files executable (exec_from_writable)" : "");
    }

    /** The {@code -o json|yaml} document: file, valid, counts, errors. */
    static Map<String, Object> document(PolicyInput input) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", input.name());
        doc.put("valid", input.valid());
        if (input.valid()) {
            doc.put("network_policies", input.policy().networkPolicies().size());
            doc.put("endpoints", input.policy().endpointCount());
        }
        doc.put("errors", errorList(input.errors()));
        return doc;
    }

    static List<Map<String, Object>> errorList(List<PolicyError> errors) {
        return errors.stream()
                .map(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("path", e.path());
                    m.put("line", e.line());
                    m.put("column", e.column());
                    m.put("message", e.message());
                    return m;
                })
                .toList();
    }

    private static String count(int n, String singular) {
        return count(n, singular, singular + "s");
    }

    private static String count(int n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
