package dev.openshell.sandbox.command;

import dev.openshell.sandbox.net.SandboxNetwork;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.supervisor.StaleSandboxes;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell-sandbox cleanup}: reclaim what dead supervisors left behind. */
@Command(name = "cleanup", description = "Remove the processes, networks and state of sandboxes whose supervisor died.")
public final class SandboxCleanupCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Option(names = "--all", description = "remove every sandbox on this host, running ones included")
    boolean all;

    @Override
    public Integer call() {
        if (all) {
            StaleSandboxes.removeAll(SandboxSpec.SANDBOXES_ROOT, SandboxNetwork.DEFAULT_STATE_DIR);
            commandSpec.commandLine().getOut().println("removed every sandbox");
            return 0;
        }
        List<String> ids = StaleSandboxes.reclaim(SandboxSpec.SANDBOXES_ROOT, SandboxNetwork.DEFAULT_STATE_DIR);
        commandSpec
                .commandLine()
                .getOut()
                .println(ids.isEmpty() ? "nothing to reclaim" : "reclaimed " + String.join(" ", ids));
        return 0;
    }
}
