package dev.openshell.gateway.sandbox;

import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.gateway.compute.ComputeDriver;
import dev.openshell.gateway.compute.ComputeDrivers;
import dev.openshell.gateway.compute.Workload;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Reconciliation at start: workloads without a record are torn down; records whose workload is
 * gone are marked {@code Error} with a reason; deletes interrupted by a crash are finished; a
 * workload whose agent exited while the gateway was away is recorded as stopped with its exit code.
 * Skipped, with a warning, when the driver cannot list its workloads (never mark everything
 * failed because the driver is down).
 */
@Component
class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    static final String GONE = "its workload is gone: the gateway found none when it started";

    private final SandboxRepository sandboxes;
    private final SandboxTransitions transitions;
    private final SandboxService service;
    private final ComputeDrivers drivers;

    Reconciler(
            SandboxRepository sandboxes,
            SandboxTransitions transitions,
            SandboxService service,
            ComputeDrivers drivers) {
        this.sandboxes = sandboxes;
        this.transitions = transitions;
        this.service = service;
        this.drivers = drivers;
    }

    @EventListener(ApplicationReadyEvent.class)
    void reconcile() {
        ComputeDriver driver = drivers.active();
        List<Workload> workloads;
        try {
            workloads = driver.workloads();
        } catch (RuntimeException e) {
            log.warn("reconciliation skipped: the {} driver cannot list workloads: {}", driver.name(), e.getMessage());
            return;
        }
        Map<String, Workload> byId =
                workloads.stream().collect(Collectors.toMap(Workload::sandboxId, Function.identity(), (a, b) -> a));
        List<SandboxRecord> records = sandboxes.all();
        var known = records.stream().map(SandboxRecord::id).collect(Collectors.toSet());
        for (Workload w : workloads) {
            if (!known.contains(w.sandboxId())) {
                log.info("reconciliation: removing workload {}, which has no record", w.sandboxId());
                try {
                    driver.delete(w.sandboxId());
                } catch (RuntimeException e) {
                    log.warn("reconciliation: removing workload {} failed: {}", w.sandboxId(), e.getMessage());
                }
            }
        }
        for (SandboxRecord s : records) {
            Workload w = byId.get(s.id());
            if (s.phase() == SandboxPhase.DELETING) {
                try {
                    driver.delete(s.id());
                    service.forget(s);
                } catch (RuntimeException e) {
                    transitions.moveTo(s.id(), SandboxPhase.ERROR, "delete failed: " + SandboxService.reason(e));
                }
            } else if (w == null) {
                if (s.phase() != SandboxPhase.ERROR) {
                    log.info("reconciliation: sandbox {} has no workload; marking it Error", s.name());
                    transitions.apply(s.id(), r -> r.withPhase(SandboxPhase.ERROR, GONE));
                }
            } else if (w.state() == Workload.State.EXITED && s.phase() != SandboxPhase.STOPPED) {
                int code = w.exitCode() == null ? -1 : w.exitCode();
                transitions.apply(
                        s.id(),
                        r -> r.withPhase(SandboxPhase.STOPPED, "the agent's main process exited with status " + code)
                                .withExitCode(w.exitCode()));
            } else if (w.state() == Workload.State.STOPPED && s.phase() == SandboxPhase.READY) {
                transitions.moveTo(s.id(), SandboxPhase.STOPPED, "its workload was stopped while the gateway was away");
            }
        }
    }
}
