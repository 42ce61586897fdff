package dev.openshell.cli.gateway;

import dev.openshell.bootstrap.local.LocalGateways;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.remote.RemoteGatewayControl;
import dev.openshell.cli.support.CliErrors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell gateway stop [NAME]}: stops a gateway this host runs; its data and registration stay. */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Stop a gateway that runs on this host (default: the active one), or one started with --remote (over"
                    + " SSH, on its host). Its database, certificates and registration stay: openshell gateway start"
                    + " brings it back with everything it had.",
            "Sandboxes of the local driver are not stopped with it: a restarted gateway finds them again."
        })
public final class GatewayStopCommand implements Callable<Integer> {

    /** How long a gateway may take to shut down (and write its AOT cache) before it is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "NAME",
            description = "The gateway (default: -g, $OPENSHELL_GATEWAY or the active one).")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        GatewayEntry entry = Targets.entry(spec, name, gateway);
        Output out = new Output(spec, globals);
        if (entry.onRemoteHost()) {
            String said = RemoteGatewayControl.stop(
                    entry.name(),
                    entry.remote(),
                    RemoteGatewayRegistration.login(OpenShellCli.of(spec).environment(), entry.remote()),
                    out::note);
            out.text((said.contains("was not running")
                            ? "gateway " + entry.name() + " was not running"
                            : "gateway " + entry.name() + " stopped")
                    + " (on " + entry.remote().destination() + ")\n");
            return 0;
        }
        if (!entry.isLocal()) {
            throw CliErrors.usage(
                    "gateway " + entry.name() + " runs elsewhere (" + entry.endpoint()
                            + "); it cannot be stopped from here",
                    "stop it on the host that runs it");
        }
        boolean wasRunning = LocalGateways.stop(Path.of(entry.dataDir()), STOP_TIMEOUT);
        out.text("gateway " + entry.name() + (wasRunning ? " stopped\n" : " was not running\n"));
        return 0;
    }
}
