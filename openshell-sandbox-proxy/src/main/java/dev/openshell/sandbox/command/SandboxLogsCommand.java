package dev.openshell.sandbox.command;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.supervisor.SandboxLog;
import dev.openshell.sandbox.supervisor.SandboxStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code openshell-sandbox logs}: the agent's output and supervisor events, with timestamps. */
@Command(name = "logs", description = "Print a sandbox's log: agent stdout/stderr and supervisor events.")
public final class SandboxLogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec commandSpec;

    @Mixin
    StateDirOption target;

    @Option(
            names = {"-f", "--follow"},
            description = "keep printing new lines until the sandbox ends")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        Path dir = target.stateDir();
        Path file = dir.resolve(SandboxLog.FILE);
        if (!Files.exists(file)) {
            throw new SandboxException(ErrorCode.SANDBOX_UNKNOWN, "no sandbox log in " + dir);
        }
        PrintWriter out = commandSpec.commandLine().getOut();
        SandboxLog.follow(
                file,
                entry -> {
                    out.println(entry.render());
                    out.flush();
                },
                () -> follow
                        && Files.exists(file)
                        && SandboxStatus.read(dir)
                                .map(s -> !s.phase().isFinal() && s.supervisorAlive())
                                .orElse(false));
        return 0;
    }
}
