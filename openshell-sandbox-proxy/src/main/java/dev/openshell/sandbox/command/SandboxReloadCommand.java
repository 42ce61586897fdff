package dev.openshell.sandbox.command;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.supervisor.ControlSocket;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell-sandbox reload}: hot-reload a running sandbox's network policies. */
@Command(
        name = "reload",
        description = "Replace a running sandbox's policy without restarting its agent.",
        footer = {"", "Exit status: 0 loaded; 1 rejected (e.g. a static section changed); 2 usage or unreachable."})
public final class SandboxReloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Mixin
    StateDirOption target;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the new policy (YAML)")
    Path policyFile;

    @Override
    public Integer call() {
        byte[] yaml;
        try {
            yaml = Files.readAllBytes(policyFile);
        } catch (IOException e) {
            throw new SandboxException(
                    ErrorCode.POLICY_UNREADABLE, "cannot read " + policyFile + ": " + e.getMessage());
        }
        Map<String, Object> reply =
                ControlSocket.request(target.stateDir().resolve(ControlSocket.FILE), "reload", yaml);
        PrintWriter out = commandSpec.commandLine().getOut();
        if (Boolean.TRUE.equals(reply.get("ok"))) {
            out.println("loaded policy generation " + reply.get("generation"));
            return 0;
        }
        commandSpec.commandLine().getErr().println("openshell-sandbox: reload rejected: " + reply.get("error"));
        return 1;
    }
}
