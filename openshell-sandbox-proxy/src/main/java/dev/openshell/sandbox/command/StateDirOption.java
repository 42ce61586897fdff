package dev.openshell.sandbox.command;

import dev.openshell.sandbox.spec.SandboxSpec;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which running sandbox a command talks to: its state directory, or its id under the default root. */
final class StateDirOption {

    @ArgGroup(multiplicity = "1")
    Choice choice;

    static final class Choice {
        @Option(names = "--state", paramLabel = "DIR", description = "the sandbox's state directory")
        Path stateDir;

        @Option(
                names = "--id",
                paramLabel = "ID",
                description = "the sandbox id (state in " + "/run/openshell/sandboxes/ID)")
        String id;
    }

    Path stateDir() {
        return choice.stateDir != null ? choice.stateDir : SandboxSpec.SANDBOXES_ROOT.resolve(choice.id);
    }
}
