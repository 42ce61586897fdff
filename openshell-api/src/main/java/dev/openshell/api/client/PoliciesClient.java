package dev.openshell.api.client;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.PolicyUpdateRequest;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.validation.DurationText;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/** The policy calls of a {@link GatewayClient}: get, set, update, revisions, and waiting for a revision to load. */
public final class PoliciesClient {

    private static final Duration FIRST_POLL = Duration.ofMillis(100);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(1);

    private final GatewayClient client;

    PoliciesClient(GatewayClient client) {
        this.client = client;
    }

    /** The sandbox's newest revision. */
    public PolicyRevision get(String sandbox) {
        return client.get(ApiPaths.sandboxPolicy(sandbox), Map.of(), PolicyRevision.class);
    }

    /** Replaces the policy; the answer is the new revision, normally {@code pending}. */
    public PolicyRevision set(String sandbox, PolicySetRequest request, RequestOptions options) {
        return client.put(ApiPaths.sandboxPolicy(sandbox), request, PolicyRevision.class, options);
    }

    /** Merges operations into the policy; the answer is the new revision. */
    public PolicyRevision update(String sandbox, PolicyUpdateRequest request, RequestOptions options) {
        return client.patch(ApiPaths.sandboxPolicy(sandbox), request, PolicyRevision.class, options);
    }

    public PolicyRevision revision(String sandbox, long number) {
        return client.get(ApiPaths.policyRevision(sandbox, number), Map.of(), PolicyRevision.class);
    }

    /** Every revision, newest first. */
    public Stream<PolicyRevision> revisions(String sandbox) {
        return client.listAll(ApiPaths.policyRevisions(sandbox), Map.of(), PolicyRevision.class);
    }

    /**
     * Waits until revision {@code number} is loaded ({@code policy set --wait}). A revision the
     * sandbox rejected is a {@code policy_rejected} error (exit 1), one still pending after
     * {@code timeout} a {@code timeout} error (exit 124).
     */
    public PolicyRevision awaitLoaded(String sandbox, long number, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            PolicyRevision revision = revision(sandbox, number);
            if (revision.status() == RevisionStatus.FAILED) {
                throw new ApiException(Problem.of(
                        ErrorCode.POLICY_REJECTED,
                        "sandbox " + sandbox + " rejected policy revision " + number + ": " + revision.error()));
            }
            if (revision.status() != null && revision.status().isSettled()) {
                return revision;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ApiException(
                        ErrorCode.TIMEOUT,
                        "policy revision " + number + " of sandbox " + sandbox + " is still pending after "
                                + DurationText.format(timeout));
            }
            sleep(Math.min(pause.toNanos(), left));
            pause = pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the policy to load", e);
        }
    }
}
