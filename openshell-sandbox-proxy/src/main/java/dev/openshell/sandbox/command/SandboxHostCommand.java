package dev.openshell.sandbox.command;

import dev.openshell.sandbox.session.SandboxHost;
import dev.openshell.sandbox.supervisor.SupervisorOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code openshell-sandbox host --dir D}: hosts the sandboxes of a gateway's local driver until
 * SIGTERM or a {@code shutdown} request (which stop them all, keeping their workspaces).
 */
@Command(
        name = "host",
        description = "Host the sandboxes of a gateway's local driver (started by the gateway).",
        footer = {"", "The gateway drives it over DIR/host.sock; each sandbox connects its own session to the gateway."
        })
public final class SandboxHostCommand implements Callable<Integer> {

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "the host's directory (0700)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        SandboxHost host = SandboxHost.start(dir.toAbsolutePath(), SupervisorOptions.defaults());
        Thread hook = new Thread(host::close, "openshell-sandbox-host-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        host.awaitShutdown();
        return 0;
    }
}
