package dev.openshell.sandbox.command;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.supervisor.SandboxStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code openshell-sandbox status}: the sandbox's status record as JSON. */
@Command(name = "status", description = "Print a sandbox's status (phase, pids, exit code) as JSON.")
public final class SandboxStatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Mixin
    StateDirOption target;

    @Override
    public Integer call() {
        SandboxStatus status = SandboxStatus.read(target.stateDir())
                .orElseThrow(() ->
                        new SandboxException(ErrorCode.SANDBOX_UNKNOWN, "no sandbox status in " + target.stateDir()));
        commandSpec.commandLine().getOut().println(status.toJson());
        return 0;
    }
}
