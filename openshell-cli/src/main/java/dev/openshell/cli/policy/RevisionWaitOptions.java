package dev.openshell.cli.policy;

import dev.openshell.api.validation.DurationText;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --wait [--timeout D]} of the commands that write a policy revision. */
final class RevisionWaitOptions {

    @Option(names = "--wait", description = "Wait until the sandbox has loaded (or rejected) the new revision.")
    private boolean wait;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
    private String timeout;

    boolean waits() {
        return wait;
    }

    /** The timeout, checked (a bad value is a usage error before any request). */
    Duration limit() {
        return DurationText.parse("--timeout", timeout);
    }
}
