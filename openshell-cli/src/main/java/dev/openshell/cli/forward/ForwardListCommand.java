package dev.openshell.cli.forward;

import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.output.Table;
import dev.openshell.cli.output.Times;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code openshell forward list}: the forwards started here, and whether each still runs. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "List the forwards started by forward start: local port, sandbox, remote port, and whether it runs.")
public final class ForwardListCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        List<ForwardRecord> all = new ForwardStore(OpenShellCli.of(spec).registry()).all();
        Output out = new Output(spec, globals);
        if (all.isEmpty() && !out.structured()) {
            out.note("no forwards; start one: openshell forward start NAME PORT");
            return 0;
        }
        out.print(Map.of("items", all), () -> {
            Table t = new Table("LOCAL", "SANDBOX", "REMOTE", "GATEWAY", "PID", "STATUS", "AGE");
            for (ForwardRecord r : all) {
                t.row(
                        "127.0.0.1:" + r.localPort(),
                        r.sandbox(),
                        r.remotePort(),
                        r.gateway(),
                        r.pid(),
                        r.running() ? "running" : "ended (see " + r.log() + ")",
                        Times.age(r.startedAt(), java.time.Instant.now()));
            }
            return t;
        });
        return 0;
    }
}
