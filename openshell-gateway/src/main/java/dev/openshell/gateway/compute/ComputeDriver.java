package dev.openshell.gateway.compute;

import java.util.List;

/**
 * Where sandboxes run: the local host, Docker, Kubernetes. The gateway owns every sandbox's
 * record and lifecycle; a driver only creates, starts, stops and deletes workloads, runs commands
 * in them, hands them policy revisions, and reports what happens through the {@link
 * WorkloadEvents} it is {@linkplain #attach attached} to. Calls may block (the gateway makes them
 * off request threads where they could take long) and must be safe to repeat: a create of an
 * existing workload, a stop of a stopped one and a delete of a missing one are no-ops.
 */
public interface ComputeDriver {

    /** The name {@code --driver} selects it by ({@code local}, {@code docker}, {@code kubernetes}). */
    String name();

    /** Called once before any other call; events about every workload go there. */
    void attach(WorkloadEvents events);

    /**
     * Creates and starts the workload. Returns once it is under way; reports {@link
     * WorkloadEvents#running} when it runs and its supervisor is connected, or {@link
     * WorkloadEvents#failed}.
     *
     * @throws DriverException when it cannot even be started
     */
    void create(WorkloadSpec spec);

    /** Starts a stopped workload again with the same workspace; reports {@link WorkloadEvents#running}. */
    void start(WorkloadSpec spec);

    /** Stops the workload, keeping its workspace; returns once it no longer runs. */
    void stop(String sandboxId);

    /** Removes the workload and everything it left (processes, network, files). Idempotent. */
    void delete(String sandboxId);

    /** Every workload this driver has, running or stopped (reconciliation at start compares them to the records). */
    List<Workload> workloads();

    /** Runs a command in a running workload and waits for it (non-streaming exec). */
    ExecOutcome exec(String sandboxId, ExecCommand command);

    /**
     * Starts a command with its standard streams attached (streaming exec, SSH and file relays
     * build on this).
     */
    default ExecStream openExec(String sandboxId, ExecCommand command) {
        throw new DriverException(
                dev.openshell.api.ErrorCode.UNAVAILABLE, "the " + name() + " driver has no streaming exec");
    }

    /**
     * Hands policy revision {@code revision} to the workload; it reports {@link
     * WorkloadEvents#policyLoaded} or {@link WorkloadEvents#policyFailed}.
     */
    void pushPolicy(String sandboxId, long revision, String policyYaml);
}
