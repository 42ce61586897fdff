package dev.openshell.cli.forward;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell forward stop LOCAL_PORT}: ends a forward started by {@code forward start}. */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Stop the forward on LOCAL_PORT.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (or it had ended already)", "3:no forward on that port"})
public final class ForwardStopCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LOCAL_PORT", description = "The local port of the forward.")
    private int port;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() throws Exception {
        ForwardStore store = new ForwardStore(OpenShellCli.of(spec).registry());
        ForwardRecord r = store.find(port)
                .orElseThrow(() ->
                        CliErrors.of(ErrorCode.NOT_FOUND, "no forward on port " + port, "see openshell forward list"));
        boolean wasRunning = r.running();
        if (wasRunning) {
            // Only the ssh this record names: a pid reused by another program is left alone (running() checks).
            ProcessHandle p = ProcessHandle.of(r.pid()).orElseThrow();
            p.destroy();
            if (!p.onExit()
                    .completeOnTimeout(null, 5, TimeUnit.SECONDS)
                    .thenApply(x -> !p.isAlive())
                    .get()) {
                p.destroyForcibly();
            }
        }
        store.remove(port);
        new Output(spec, globals)
                .text("forward on port " + port + " to " + r.sandbox() + ":" + r.remotePort()
                        + (wasRunning ? " stopped" : " had ended already") + "\n");
        return 0;
    }
}
