package dev.openshell.cli.gateway;

import dev.openshell.api.ApiException;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.validation.LabelSelector;
import dev.openshell.bootstrap.local.LocalGateways;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.context.GatewayConnector;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.remote.RemoteGatewayControl;
import dev.openshell.cli.support.CliErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openshell gateway destroy [NAME] [--yes]}: for a gateway this host runs, deletes its
 * sandboxes, stops it and removes its data; for one added by URL, only forgets it.
 */
@Command(
        name = "destroy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Destroy a gateway that runs on this host: delete its sandboxes (while it runs), stop it, and remove its"
                    + " database, keys, certificates, logs and registration. For a gateway added by URL, only the"
                    + " registration is removed; the gateway itself is untouched.",
            "A gateway started with --remote is destroyed on its host over SSH the same way; the jars copied there"
                    + " go with the host's last gateway. When the host cannot be reached, nothing is removed and"
                    + " the error says what to run there; --forget then removes only the registration here.",
            "Asks for confirmation on a terminal; --yes skips the question (required when not on a terminal)."
        })
public final class GatewayDestroyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "NAME",
            description = "The gateway (default: -g, $OPENSHELL_GATEWAY or the active one).")
    private String name;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    private boolean yes;

    @Option(
            names = "--forget",
            description = "For a gateway started with --remote: only remove the registration here, leave the"
                    + " gateway on its host as it is.")
    private boolean forget;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        OpenShellCli cli = OpenShellCli.of(spec);
        GatewayEntry entry = Targets.entry(spec, name, gateway);
        GatewayRegistry registry = cli.registry();
        boolean remote = entry.onRemoteHost() && !forget;
        String what = entry.isLocal()
                ? "destroy gateway " + entry.name() + ": delete its sandboxes, stop it and remove " + entry.dataDir()
                : remote
                        ? "destroy gateway " + entry.name() + " on "
                                + entry.remote().destination() + ": delete its sandboxes, stop it and remove "
                                + entry.remote().dataDir() + " there"
                        : "forget gateway " + entry.name() + " (" + entry.endpoint()
                                + "; the gateway itself is untouched)";
        if (!yes) {
            if (!cli.environment().interactive()) {
                throw CliErrors.usage(
                        "not on a terminal: confirm with --yes to " + what,
                        "openshell gateway destroy " + entry.name() + " --yes");
            }
            if (!confirm(what)) {
                new Output(spec, globals).note("nothing changed");
                return 1;
            }
        }
        Output out = new Output(spec, globals);
        if (entry.isLocal()) {
            Path dataDir = Path.of(entry.dataDir());
            if (LocalGateways.status(dataDir).running()) {
                int deleted = deleteSandboxes(registry, entry, out);
                if (deleted > 0) {
                    out.note("deleted " + deleted + " sandbox" + (deleted == 1 ? "" : "es"));
                }
            }
            LocalGateways.destroy(dataDir, GatewayStopCommand.STOP_TIMEOUT);
        } else if (remote) {
            // The gateway there deletes its sandboxes itself (openshell gateway destroy runs on the host).
            RemoteGatewayControl.destroy(
                    entry.name(),
                    entry.remote(),
                    RemoteGatewayRegistration.login(cli.environment(), entry.remote()),
                    out::note);
        }
        registry.remove(entry.name());
        out.text(
                entry.isLocal()
                        ? "gateway " + entry.name() + " destroyed\n"
                        : remote
                                ? "gateway " + entry.name() + " destroyed (on "
                                        + entry.remote().destination() + ")\n"
                                : "gateway " + entry.name() + " forgotten\n");
        return 0;
    }

    /** Deletes every sandbox, so the local driver leaves no process, namespace or rule behind. */
    private static int deleteSandboxes(GatewayRegistry registry, GatewayEntry entry, Output out) {
        try (GatewayClient gw = new GatewayConnector(registry).connect(entry, GatewayConnector.REQUEST_TIMEOUT)) {
            List<Sandbox> all = gw.sandboxes().list(LabelSelector.all()).toList();
            for (Sandbox s : all) {
                gw.sandboxes().delete(s.name());
            }
            return all.size();
        } catch (ApiException e) {
            out.note("warning: could not delete the gateway's sandboxes: " + e.getMessage());
            return 0;
        }
    }

    private boolean confirm(String what) {
        PrintWriter err = spec.commandLine().getErr();
        err.print("This will " + what + ". Continue? [y/N] ");
        err.flush();
        try {
            String answer = new BufferedReader(
                            new InputStreamReader(OpenShellCli.of(spec).stdin(), StandardCharsets.UTF_8))
                    .readLine();
            return answer != null
                    && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }
}
