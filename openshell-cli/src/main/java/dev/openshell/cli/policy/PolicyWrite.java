package dev.openshell.cli.policy;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.validation.DurationText;
import dev.openshell.cli.output.Output;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What {@code policy set} and {@code policy update} share: note the newest revision before the
 * write (a write that changes nothing makes none), then report the new revision, waiting for the
 * sandbox to load it with {@code --wait}: exit 0 loaded, 1 rejected ({@code policy_rejected}), 124
 * still pending at the timeout.
 */
final class PolicyWrite {

    private PolicyWrite() {}

    static int run(
            GatewayClient gw,
            String sandbox,
            boolean wait,
            Duration timeout,
            Output out,
            Supplier<PolicyRevision> write) {
        long before = gw.policies()
                .revisions(sandbox)
                .findFirst()
                .map(PolicyRevision::number)
                .orElse(0L);
        PolicyRevision written = write.get();
        if (written.number() <= before) {
            out.printText(
                    written,
                    () -> "policy of sandbox " + sandbox + " unchanged (revision " + written.number() + " "
                            + status(written) + ")\n");
            return 0;
        }
        PolicyRevision result = written;
        if (wait && written.status() == RevisionStatus.PENDING) {
            out.note("waiting up to " + DurationText.format(timeout) + " for sandbox " + sandbox + " to load revision "
                    + written.number() + "...");
            result = gw.policies().awaitLoaded(sandbox, written.number(), timeout);
        } else if (wait && written.status() == RevisionStatus.FAILED) {
            result = gw.policies().awaitLoaded(sandbox, written.number(), timeout); // throws policy_rejected
        }
        PolicyRevision shown = result;
        out.printText(
                shown,
                () -> "policy revision " + shown.number() + " of sandbox " + sandbox + " " + status(shown) + "\n");
        return 0;
    }

    private static String status(PolicyRevision r) {
        return r.status() == null
                ? "in an unknown state"
                : switch (r.status()) {
                    case PENDING -> "is pending (the sandbox has not loaded it yet; --wait waits)";
                    case LOADED -> "is loaded";
                    case FAILED -> "was rejected: " + r.error();
                    case SUPERSEDED -> "is superseded";
                };
    }
}
