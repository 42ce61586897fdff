package dev.openshell.gateway.sandbox;

import dev.openshell.api.ApiException;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Page;
import dev.openshell.api.SafeText;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.api.validation.LabelSelector;
import dev.openshell.gateway.compute.ComputeDriver;
import dev.openshell.gateway.compute.ComputeDrivers;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.provider.ProviderService;
import dev.openshell.gateway.token.TokenService;
import dev.openshell.gateway.web.Preconditions;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.PolicyYaml;
import dev.openshell.policy.model.Policy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Owns every sandbox's record and lifecycle: create (record and first policy revision, then the
 * driver's create off the request thread), list, get, stop, start, delete. The driver reports back
 * through {@link SandboxTransitions}; this class never trusts the driver to keep state.
 */
@Service
public class SandboxService {

    private static final Logger log = LoggerFactory.getLogger(SandboxService.class);

    private final SandboxRepository sandboxes;
    private final RevisionStore revisions;
    private final SandboxTransitions transitions;
    private final WorkloadSpecs specs;
    private final ProviderService providers;
    private final TokenService tokens;
    private final ComputeDrivers drivers;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final GatewayProperties.Limits limits;
    private final Clock clock;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

    SandboxService(
            SandboxRepository sandboxes,
            RevisionStore revisions,
            SandboxTransitions transitions,
            WorkloadSpecs specs,
            ProviderService providers,
            TokenService tokens,
            ComputeDrivers drivers,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            GatewayProperties properties,
            Clock clock) {
        this.sandboxes = sandboxes;
        this.revisions = revisions;
        this.transitions = transitions;
        this.specs = specs;
        this.providers = providers;
        this.tokens = tokens;
        this.drivers = drivers;
        this.tx = tx;
        this.events = events;
        this.limits = properties.limits();
        this.clock = clock;
    }

    public Sandbox create(SandboxCreateRequest request) {
        request.validate();
        Policy policy = request.policy() == null
                ? Policy.denyAll()
                : PolicyParser.parse(request.policy().getBytes(StandardCharsets.UTF_8), "policy");
        String canonical = PolicyYaml.write(policy);
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < request.providers().size(); i++) {
            if (!providers.exists(request.providers().get(i))) {
                missing.add("providers[" + i + "]");
            }
        }
        if (!missing.isEmpty()) {
            throw ApiException.invalid(
                    missing.getFirst(), "no such provider; create it first (openshell provider create)");
        }
        SandboxRecord record = new SandboxRecord(
                SandboxIds.newId(),
                request.name() != null ? request.name() : SandboxIds.newName(),
                SandboxPhase.PROVISIONING,
                null,
                null,
                request.labels(),
                request.image(),
                request.command(),
                specs.sealEnv(request.env()),
                request.providers(),
                request.resources(),
                clock.instant(),
                null,
                null,
                1);
        tx.executeWithoutResult(status -> {
            if (!sandboxes.insert(record)) {
                throw new ApiException(ErrorCode.ALREADY_EXISTS, "a sandbox named " + record.name() + " exists");
            }
            revisions.insert(record.id(), 1, canonical);
        });
        ComputeDriver driver = drivers.active();
        background.submit(() -> {
            try {
                if (stillWanted(record.id())) {
                    try {
                        driver.create(specs.build(record));
                    } finally {
                        // also when the create failed because the delete removed its files under it
                        removeIfDeletedMeanwhile(driver, record.id());
                    }
                }
            } catch (RuntimeException e) {
                log.warn("sandbox {}: create failed: {}", record.name(), e.getMessage());
                transitions.moveTo(record.id(), SandboxPhase.ERROR, "create failed: " + reason(e));
            }
        });
        if (Boolean.TRUE.equals(request.waitForReady())) {
            return transitions
                    .awaitSettled(record.id(), limits.readyTimeout())
                    .orElse(record)
                    .toApi();
        }
        return sandboxes.byId(record.id()).orElse(record).toApi();
    }

    public Sandbox get(String name) {
        return require(name).toApi();
    }

    public SandboxRecord require(String name) {
        return sandboxes
                .byName(name)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no sandbox named " + name));
    }

    public Optional<SandboxRecord> byId(String id) {
        return sandboxes.byId(id);
    }

    /**
     * A page of sandboxes matching {@code selector}, by name. Filtering happens here, not in SQL:
     * label rules ({@code k!=v}, {@code !k}) do not map onto portable SQL, and rows are small.
     */
    public Page<Sandbox> list(LabelSelector selector, String afterName, int size, Function<String, String> nextToken) {
        List<Sandbox> items = new ArrayList<>();
        String after = afterName;
        // Without a selector every row matches: read exactly one more than the page.
        int batch = selector.requirements().isEmpty() ? size + 1 : Math.max(size + 1, 200);
        while (items.size() <= size) {
            List<SandboxRecord> rows = sandboxes.page(after, batch);
            for (SandboxRecord row : rows) {
                if (selector.matches(row.labels())) {
                    items.add(row.toApi());
                    if (items.size() > size) {
                        break;
                    }
                }
            }
            if (rows.size() < batch) {
                break;
            }
            after = rows.getLast().name();
        }
        boolean more = items.size() > size;
        List<Sandbox> page = more ? items.subList(0, size) : items;
        return new Page<>(page, more ? nextToken.apply(page.getLast().name()) : null);
    }

    /**
     * Bumps the sandbox's resource version (a policy write changes the sandbox), conditional on the
     * version {@code expected} read; a lost race is a 409.
     */
    public SandboxRecord touch(SandboxRecord s, long expected) {
        SandboxRecord written = sandboxes
                .update(withVersion(s, expected))
                .orElseThrow(() -> Preconditions.conflict("sandbox " + s.name()));
        transitions.wake();
        return written;
    }

    /** Stops a Ready sandbox, keeping its workspace; a stopped one is answered as it is. */
    public Sandbox stop(String name, String ifMatch) {
        SandboxRecord s = require(name);
        long version = Preconditions.check(ifMatch, Long.toString(s.resourceVersion()));
        switch (s.phase()) {
            case STOPPED, STOPPING -> {
                return s.toApi();
            }
            case PROVISIONING, STARTING -> throw notReady(s);
            case DELETING -> throw new ApiException(ErrorCode.CONFLICT, "sandbox " + name + " is being deleted");
            default -> {}
        }
        SandboxRecord stopping = sandboxes
                .update(withVersion(s.withPhase(SandboxPhase.STOPPING, null), version))
                .orElseThrow(() -> Preconditions.conflict("sandbox " + name));
        transitions.wake();
        try {
            drivers.active().stop(s.id());
        } catch (RuntimeException e) {
            transitions.moveTo(s.id(), SandboxPhase.ERROR, "stop failed: " + reason(e));
            throw e;
        }
        return transitions
                .apply(
                        stopping.id(),
                        r -> r.phase() == SandboxPhase.STOPPING ? r.withPhase(SandboxPhase.STOPPED, null) : r)
                .orElse(stopping)
                .toApi();
    }

    /** Starts a stopped (or failed) sandbox again; {@code wait}: answer once it is Ready or failed. */
    public Sandbox start(String name, String ifMatch, boolean wait) {
        SandboxRecord s = require(name);
        long version = Preconditions.check(ifMatch, Long.toString(s.resourceVersion()));
        switch (s.phase()) {
            case READY, STARTING, PROVISIONING -> {
                return s.toApi();
            }
            case STOPPING -> throw notReady(s);
            case DELETING -> throw new ApiException(ErrorCode.CONFLICT, "sandbox " + name + " is being deleted");
            default -> {}
        }
        SandboxRecord starting = sandboxes
                .update(withVersion(s.withPhase(SandboxPhase.STARTING, null).withExitCode(null), version))
                .orElseThrow(() -> Preconditions.conflict("sandbox " + name));
        transitions.wake();
        ComputeDriver driver = drivers.active();
        background.submit(() -> {
            try {
                if (stillWanted(starting.id())) {
                    driver.start(specs.build(starting));
                    removeIfDeletedMeanwhile(driver, starting.id());
                }
            } catch (RuntimeException e) {
                transitions.moveTo(s.id(), SandboxPhase.ERROR, "start failed: " + reason(e));
            }
        });
        if (wait) {
            return transitions
                    .awaitSettled(s.id(), limits.readyTimeout())
                    .orElse(starting)
                    .toApi();
        }
        return starting.toApi();
    }

    /** Deletes the workload and every trace of the sandbox; idempotent. */
    public DeleteResult delete(String name, String ifMatch) {
        Optional<SandboxRecord> found = sandboxes.byName(name);
        if (found.isEmpty()) {
            return DeleteResult.alreadyAbsent(name);
        }
        SandboxRecord s = found.get();
        Preconditions.check(ifMatch, Long.toString(s.resourceVersion()));
        transitions.moveTo(s.id(), SandboxPhase.DELETING, null);
        try {
            drivers.active().delete(s.id());
        } catch (RuntimeException e) {
            transitions.moveTo(s.id(), SandboxPhase.ERROR, "delete failed: " + reason(e));
            throw e;
        }
        forget(s);
        return DeleteResult.deleted(name);
    }

    /** Whether the sandbox still exists and is not being deleted (a delete may overtake a queued create). */
    private boolean stillWanted(String id) {
        return sandboxes
                .byId(id)
                .filter(s -> s.phase() != SandboxPhase.DELETING)
                .isPresent();
    }

    /** A delete that ran while the driver was creating found nothing to remove: remove it now. */
    private void removeIfDeletedMeanwhile(ComputeDriver driver, String id) {
        if (!stillWanted(id)) {
            driver.delete(id);
            tokens.deleteSupervisorTokens(id);
        }
    }

    /** Removes the records of a sandbox whose workload is gone. */
    void forget(SandboxRecord s) {
        tx.executeWithoutResult(status -> {
            revisions.deleteAll(s.id());
            tokens.deleteSupervisorTokens(s.id());
            sandboxes.delete(s.id());
        });
        transitions.wake();
        events.publishEvent(new SandboxDeleted(s.id(), s.name()));
    }

    private static SandboxRecord withVersion(SandboxRecord r, long version) {
        return new SandboxRecord(
                r.id(),
                r.name(),
                r.phase(),
                r.reason(),
                r.exitCode(),
                r.labels(),
                r.image(),
                r.command(),
                r.envSealed(),
                r.providers(),
                r.resources(),
                r.createdAt(),
                r.readyAt(),
                r.policyRevision(),
                version);
    }

    static ApiException notReady(SandboxRecord s) {
        return new ApiException(
                ErrorCode.SANDBOX_NOT_READY,
                "sandbox " + s.name() + " is " + s.phase().wire() + ", not Ready");
    }

    static String reason(Throwable e) {
        return SafeText.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), 500);
    }
}
