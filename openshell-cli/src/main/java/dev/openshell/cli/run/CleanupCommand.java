package dev.openshell.cli.run;

import dev.openshell.cli.ExitCodes;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OutputFormat;
import dev.openshell.cli.StructuredWriter;
import dev.openshell.cli.VersionProvider;
import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.supervisor.StaleSandboxes;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code openshell cleanup}: removes what local sandboxes whose supervisor is gone left on this
 * host ({@code kill -9} of {@code openshell run}, a crash). Sandboxes with a live supervisor are
 * never touched, so it is safe while other runs are going.
 */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Remove what killed 'openshell run' sandboxes left on this host: their processes, network namespace,",
            "veth and nft table, cgroup, uid claim and state directory. Running sandboxes are left alone.",
            "Every 'openshell run' does the same first. Needs root."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (also when there was nothing to remove)",
            "2:bad usage",
            "125:not root, or ip/nft missing"
        })
public final class CleanupCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var unavailable = SandboxNetwork.unavailableReason();
        if (unavailable.isPresent()) {
            err.println("error: cannot clean up sandboxes: " + unavailable.get());
            err.println("openshell cleanup removes namespaces and firewall rules: run it as root (e.g. with sudo).");
            err.flush();
            return RunCommand.SANDBOX_FAILED;
        }
        List<String> removed = StaleSandboxes.reclaim(SandboxSpec.SANDBOXES_ROOT, SandboxNetwork.DEFAULT_STATE_DIR);
        if (globals.output() != OutputFormat.TABLE) {
            out.print(StructuredWriter.write(Map.of("removed", removed), globals.output()));
        } else if (removed.isEmpty()) {
            out.println("nothing to clean up: no stale sandboxes on this host");
        } else {
            removed.forEach(id -> out.println("removed sandbox " + id));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
