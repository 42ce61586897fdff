package dev.openshell.cli.doctor;

import dev.openshell.bootstrap.host.HostCheck;
import dev.openshell.bootstrap.host.HostChecks;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code openshell doctor}: what this host can run, and what to install for what it cannot. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Check what this host can run: root, ip (iproute2), nft (nftables), network namespaces, cgroups (v1 or"
                    + " v2, memory and pids), the Landlock ABI and a Docker daemon, and say what to install or change"
                    + " for each missing piece. No gateway is needed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the local driver can run sandboxes here (warnings aside)",
            "1:something the local driver needs is missing"
        })
public final class DoctorCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        List<HostCheck> checks =
                HostChecks.run(OpenShellCli.of(spec).environment().host());
        boolean ready = checks.stream().noneMatch(HostCheck::blocksLocalDriver);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("local_driver_ready", ready);
        doc.put("checks", checks);
        new Output(spec, globals).printText(doc, () -> {
            Table t = new Table("CHECK", "STATUS", "DETAIL");
            checks.forEach(c -> t.row(c.name(), c.status().wire(), c.detail()));
            StringBuilder b = new StringBuilder(t.render(0));
            List<HostCheck> todo = checks.stream()
                    .filter(c -> c.status() != HostCheck.Status.OK)
                    .toList();
            if (!todo.isEmpty()) {
                b.append("\nTo fix:\n");
                todo.forEach(c -> b.append("  ")
                        .append(c.name())
                        .append(": ")
                        .append(c.fix())
                        .append('\n'));
            }
            b.append('\n')
                    .append(
                            ready
                                    ? "This host can run sandboxes with the local driver."
                                    : "This host cannot run sandboxes with the local driver yet (see above).")
                    .append('\n');
            return b.toString();
        });
        return ready ? 0 : 1;
    }
}
