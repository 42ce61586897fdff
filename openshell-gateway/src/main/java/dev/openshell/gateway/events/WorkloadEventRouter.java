package dev.openshell.gateway.events;

import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.gateway.compute.ComputeDrivers;
import dev.openshell.gateway.compute.WorkloadEvents;
import dev.openshell.gateway.decision.DecisionStore;
import dev.openshell.gateway.log.LogStore;
import dev.openshell.gateway.sandbox.RevisionStore;
import dev.openshell.gateway.sandbox.SandboxLifecycle;
import dev.openshell.gateway.sandbox.SandboxTransitions;
import java.time.Clock;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Where drivers (and supervisors, through {@link SupervisorController}) report: phase changes go
 * through the lifecycle's transitions, policy acks to the revisions, logs and decisions to their
 * stores. Attaches itself to the active driver.
 */
@Component
public class WorkloadEventRouter implements WorkloadEvents {

    private final SandboxTransitions transitions;
    private final RevisionStore revisions;
    private final LogStore logs;
    private final DecisionStore decisions;
    private final Clock clock;

    WorkloadEventRouter(
            SandboxTransitions transitions,
            RevisionStore revisions,
            LogStore logs,
            DecisionStore decisions,
            ComputeDrivers drivers,
            Clock clock) {
        this.transitions = transitions;
        this.revisions = revisions;
        this.logs = logs;
        this.decisions = decisions;
        this.clock = clock;
        drivers.active().attach(this);
    }

    @Override
    public void running(String sandboxId) {
        transitions.apply(sandboxId, s -> switch (s.phase()) {
            case PROVISIONING, STARTING -> s.withPhase(SandboxPhase.READY, null).withReadyAt(clock.instant());
            default -> s;
        });
    }

    @Override
    public void exited(String sandboxId, int exitCode) {
        transitions.apply(sandboxId, s -> switch (s.phase()) {
            case PROVISIONING, STARTING, READY, STOPPING ->
                s.withPhase(SandboxPhase.STOPPED, "the agent's main process exited with status " + exitCode)
                        .withExitCode(exitCode);
            default -> s;
        });
    }

    @Override
    public void failed(String sandboxId, String reason) {
        transitions.moveTo(sandboxId, SandboxPhase.ERROR, reason);
    }

    @Override
    public void vanished(String sandboxId, String reason) {
        transitions.apply(
                sandboxId,
                s -> SandboxLifecycle.expectsRunningWorkload(s.phase()) ? s.withPhase(SandboxPhase.ERROR, reason) : s);
    }

    @Override
    public void policyLoaded(String sandboxId, long revision) {
        if (revisions.markLoaded(sandboxId, revision)) {
            transitions.apply(
                    sandboxId,
                    s -> s.policyRevision() == null || s.policyRevision() < revision
                            ? s.withPolicyRevision(revision)
                            : s);
        }
    }

    @Override
    public void policyFailed(String sandboxId, long revision, String error) {
        revisions.markFailed(sandboxId, revision, error);
    }

    @Override
    public void logs(String sandboxId, List<LogLine> lines) {
        logs.append(sandboxId, lines);
    }

    @Override
    public void decisions(String sandboxId, List<DecisionRecord> records) {
        decisions.append(sandboxId, records);
    }
}
