package dev.openshell.gateway.compute;

import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.sandbox.LogLine;
import java.util.List;

/** What drivers (and, later, supervisor sessions) report about workloads. Thread-safe; never blocks long. */
public interface WorkloadEvents {

    /** The workload runs and its supervisor is connected: the sandbox is Ready. */
    void running(String sandboxId);

    /** The agent's main process exited with {@code exitCode}. */
    void exited(String sandboxId, int exitCode);

    /** The workload failed or vanished; {@code reason} is one line for the user. */
    void failed(String sandboxId, String reason);

    /**
     * The workload vanished with what ran it (a dead sandbox host): a sandbox that was to run is
     * {@code Error} with {@code reason}; one stopped, failed or being deleted stays as it is.
     */
    void vanished(String sandboxId, String reason);

    /** The sandbox enforces policy revision {@code revision} now. */
    void policyLoaded(String sandboxId, long revision);

    /** The sandbox rejected revision {@code revision} and keeps enforcing the previous one. */
    void policyFailed(String sandboxId, long revision, String error);

    void logs(String sandboxId, List<LogLine> lines);

    void decisions(String sandboxId, List<DecisionRecord> records);
}
