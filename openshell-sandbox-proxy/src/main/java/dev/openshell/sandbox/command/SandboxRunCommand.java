package dev.openshell.sandbox.command;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.net.Cidr;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.supervisor.AgentConsole;
import dev.openshell.sandbox.supervisor.SandboxSupervisor;
import dev.openshell.sandbox.supervisor.SupervisorOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell-sandbox run --spec F}: one sandbox in the foreground until its agent exits or SIGTERM. */
@Command(
        name = "run",
        description = "Start the sandbox a spec describes and supervise it in the foreground.",
        footer = {
            "",
            "Exit status: the agent's exit code; 125 when the sandbox cannot start.",
            "SIGTERM or SIGINT stops the agent and removes the sandbox."
        })
public final class SandboxRunCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Option(names = "--spec", required = true, paramLabel = "FILE", description = "the sandbox spec (JSON)")
    Path specFile;

    @Option(
            names = "--attach",
            description = "stream the agent's output here too and pass stdin through (default: log only)")
    boolean attach;

    @Option(
            names = "--host-address",
            paramLabel = "CIDR",
            description = "(repeatable) also refuse destinations in CIDR as addresses of this host, e.g. where a"
                    + " gateway listens (the host's interface addresses and the sandbox subnets always are)")
    List<String> hostAddresses = List.of();

    @Override
    public Integer call() {
        SandboxSpec spec = SandboxSpec.read(specFile);
        PrintWriter err = commandSpec.commandLine().getErr();
        AgentConsole console =
                spec.tty() ? AgentConsole.TERMINAL : attach ? AgentConsole.STREAMED : AgentConsole.LOGGED;
        SupervisorOptions options = SupervisorOptions.defaults()
                .withHostAddresses(
                        hostAddresses.stream().map(SandboxRunCommand::cidr).toList())
                .withConsole(console)
                .withEvents(event -> {
                    err.println("openshell-sandbox: " + spec.id() + ": " + event);
                    err.flush();
                });
        SandboxSupervisor supervisor = SandboxSupervisor.start(spec, options);
        Thread hook = new Thread(supervisor::close, "openshell-sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = supervisor.awaitExit();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook tears down
        }
        return code;
    }

    private static Cidr cidr(String text) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new SandboxException(ErrorCode.SPEC_INVALID, "--host-address " + text + ": " + e.getMessage());
        }
    }
}
