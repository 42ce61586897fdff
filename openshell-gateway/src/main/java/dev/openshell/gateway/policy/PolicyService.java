package dev.openshell.gateway.policy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.FieldError;
import dev.openshell.api.Page;
import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.PolicyUpdateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.gateway.compute.ComputeDrivers;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.sandbox.RevisionStore;
import dev.openshell.gateway.sandbox.SandboxRecord;
import dev.openshell.gateway.sandbox.SandboxService;
import dev.openshell.gateway.web.Preconditions;
import dev.openshell.policy.PolicyDiff;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.PolicyUpdates;
import dev.openshell.policy.PolicyYaml;
import dev.openshell.policy.model.Policy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A sandbox's policy: get the revision in force, set (full replace) or update (merge operations),
 * each making a new revision that the sandbox loads whole or rejects. Only {@code
 * network_policies} may change on an existing sandbox: a change to a static section is a 400
 * listing the differences. A write that changes nothing makes no revision.
 */
@Service
public class PolicyService {

    private static final Logger log = LoggerFactory.getLogger(PolicyService.class);

    private final SandboxService sandboxes;
    private final RevisionStore revisions;
    private final ComputeDrivers drivers;
    private final TransactionTemplate tx;
    private final GatewayProperties.Limits limits;

    PolicyService(
            SandboxService sandboxes,
            RevisionStore revisions,
            ComputeDrivers drivers,
            TransactionTemplate tx,
            GatewayProperties properties) {
        this.sandboxes = sandboxes;
        this.revisions = revisions;
        this.drivers = drivers;
        this.tx = tx;
        this.limits = properties.limits();
    }

    /** The revision in force (the newest loaded, or the newest while none has loaded). */
    public PolicyRevision active(String name) {
        SandboxRecord s = sandboxes.require(name);
        return revisions.active(s.id()).orElseThrow(() -> notFound(name, "a policy"));
    }

    public PolicyRevision revision(String name, long number) {
        SandboxRecord s = sandboxes.require(name);
        return revisions.get(s.id(), number).orElseThrow(() -> notFound(name, "revision " + number));
    }

    public Page<PolicyRevision> revisions(String name, Long before, int size, Function<String, String> nextToken) {
        SandboxRecord s = sandboxes.require(name);
        List<PolicyRevision> rows = revisions.page(s.id(), before, size + 1);
        boolean more = rows.size() > size;
        List<PolicyRevision> page = more ? rows.subList(0, size) : rows;
        return new Page<>(
                page, more ? nextToken.apply(Long.toString(page.getLast().number())) : null);
    }

    public PolicyRevision set(String name, PolicySetRequest request, String ifMatch, boolean wait) {
        request.validate();
        Policy next = PolicyParser.parse(request.policy().getBytes(StandardCharsets.UTF_8), "policy");
        return write(name, current -> next, ifMatch, wait);
    }

    public PolicyRevision update(String name, PolicyUpdateRequest request, String ifMatch, boolean wait) {
        request.validate();
        var updates = PolicyOperations.toUpdates(request);
        return write(name, current -> PolicyUpdates.apply(current, updates), ifMatch, wait);
    }

    private PolicyRevision write(
            String name, java.util.function.UnaryOperator<Policy> change, String ifMatch, boolean wait) {
        SandboxRecord s = sandboxes.require(name);
        long version = Preconditions.check(ifMatch, Long.toString(s.resourceVersion()));
        if (s.phase() == SandboxPhase.DELETING) {
            throw new ApiException(ErrorCode.CONFLICT, "sandbox " + name + " is being deleted");
        }
        PolicyRevision newest = revisions.newest(s.id()).orElseThrow(() -> notFound(name, "a policy"));
        Policy current = PolicyParser.parse(newest.policy().getBytes(StandardCharsets.UTF_8), "current policy");
        Policy next = change.apply(current);
        PolicyDiff diff = PolicyDiff.between(current, next);
        if (diff.hasStaticChanges()) {
            throw staticChange(name, diff);
        }
        if (diff.isEmpty()) {
            return newest;
        }
        String canonical = PolicyYaml.write(next);
        long number = newest.number() + 1;
        PolicyRevision created = tx.execute(status -> {
            sandboxes.touch(s, version);
            return revisions.insert(s.id(), number, canonical);
        });
        if (s.phase() == SandboxPhase.READY) {
            try {
                drivers.active().pushPolicy(s.id(), number, canonical);
            } catch (RuntimeException e) {
                log.warn("sandbox {}: pushing revision {} failed: {}", name, number, e.getMessage());
                revisions.markFailed(s.id(), number, "the gateway could not deliver it: " + e.getMessage());
            }
        }
        if (wait) {
            return revisions
                    .awaitSettled(s.id(), number, limits.policyWaitTimeout())
                    .orElse(created);
        }
        return revisions.get(s.id(), number).orElse(created);
    }

    private static ApiException staticChange(String name, PolicyDiff diff) {
        List<FieldError> errors = diff.staticChanges().stream()
                .map(c -> new FieldError("policy." + c.path(), SafeText.oneLine(c.render(), 300)))
                .toList();
        String detail =
                "sandbox " + name + ": filesystem_policy, landlock and process are fixed at creation; this changes "
                        + errors.size() + " of them: " + errors.getFirst().message()
                        + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        return new ApiException(Problem.of(ErrorCode.POLICY_STATIC_CHANGE, detail)
                .withErrors(errors)
                .withHint(SafeText.oneLine(diff.render().replace('\n', ';'), 1000)));
    }

    private static ApiException notFound(String name, String what) {
        return new ApiException(ErrorCode.NOT_FOUND, "sandbox " + name + " has no " + what);
    }
}
